package com.storeops.worker;

import com.storeops.common.TaskQueue;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool of activity permits shared by the four queue workers of this process, so that at most
 * {@code size} activities ever run at once — one connection each — whichever queues they come from.
 *
 * <p>How permits are granted (see docs/design/connection-budget.md for the measurements):
 *
 * <ul>
 *   <li><b>Work-conserving</b>: a free permit goes to any queue that waits for one, so one queue
 *       alone can use every permit not held by the other queues' idle pollers.
 *   <li><b>Weighted</b> under contention: a free permit goes to the waiting queue that holds the
 *       fewest permits for its weight (held / weight), ties to the higher priority. Saturated
 *       queues converge on holding permits in proportion to their weights; a light {@code sync}
 *       queue, holding little, is served first; a queue holding nothing always wins the next
 *       permit, so every weight above zero makes progress. Counting what a queue holds, not how
 *       often it was served, keeps many short sync activities from being charged like long ones.
 *       A queue due first whose poller is out fetching its next task, for less than
 *       {@link #POLL_CLAIM_NANOS}, keeps a claim on the permit its next ask will want (not
 *       against sync, which is served the moment it waits).
 *   <li><b>One permit kept for {@code sync}</b>: when sync's poller has just returned an empty poll's
 *       permit and not yet asked again, other queues may not take the last free permit.
 *   <li><b>Caps</b> per queue (generation ≤ cores).
 *   <li><b>Idle queues step back</b>: a non-sync queue whose last poll came back empty waits
 *       behind queues that have work, for up to {@code idleDeferral} (plus, at most, one long poll
 *       of a busy queue), before it may poll again. Its poller then pins no permit while others
 *       could use it, nor one a busy queue's poller, out fetching its next task, will ask for when
 *       it returns; the task stays in Temporal's queue meanwhile (no timer of ours runs). With short
 *       long polls this turns permits pinned by idle pollers into work.
 * </ul>
 *
 * Temporal reserves a permit <i>before</i> each long poll and holds it while polling; that is the
 * SDK's contract, so an idle queue pins one permit per poller. The SDK counts permits per worker
 * only; this class keeps the shared counts. Grant futures are completed outside the lock.
 */
public final class SharedActivityBudget {

  private static final Logger log = LoggerFactory.getLogger(SharedActivityBudget.class);

  private final int size;
  private final Map<TaskQueue, Lane> lanes = new EnumMap<>(TaskQueue.class);
  private final Object lock = new Object();
  private final long idleDeferralNanos;
  private final LongSupplier nanoTime;
  private final Wakeups wakeups;
  private int heldTotal;
  /** When the wake-up asked for last will look again; Long.MAX_VALUE when none is due. */
  private long wakeupAt = Long.MAX_VALUE;

  /**
   * How long a busy queue's poller that is out keeps a claim on the permit its next ask will want.
   * Polls that brought a backlogged task took 4–9 ms (median) and 43–57 ms (p99) from grant to
   * start in SharedBudgetLoadTest on the loaded 2-core machine; a poll out longer found nothing,
   * and a queue that waits now should not wait for it. Polls slower than this (a distant cluster)
   * simply claim nothing: the weights then hold a little less exactly, as they did without claims.
   */
  static final long POLL_CLAIM_NANOS = Duration.ofMillis(100).toNanos();

  /**
   * @param size permits; 0 in a process without the worker role (nothing is ever granted)
   * @param weights per queue, each at least 1 (checked by {@link ActivityBudget#plan})
   * @param caps per queue, at most {@code size}
   */
  public SharedActivityBudget(int size, Map<TaskQueue, Integer> weights, Map<TaskQueue, Integer> caps) {
    this(size, weights, caps, Duration.ZERO);
  }

  /** @param idleDeferral how long an idle non-sync queue waits behind busy ones; zero disables */
  public SharedActivityBudget(int size, Map<TaskQueue, Integer> weights, Map<TaskQueue, Integer> caps, Duration idleDeferral) {
    this(size, weights, caps, idleDeferral, System::nanoTime,
        (delayNanos, task) -> CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(task));
  }

  /** Runs a task after a delay: when a claim on a permit runs out with no ask or release to notice. */
  @FunctionalInterface
  public interface Wakeups {
    void after(long delayNanos, Runnable task);
  }

  /**
   * @param nanoTime the clock, and {@code wakeups} the timer on it: tests drive both
   * @param wakeups how the budget looks again once a claim has run out
   */
  public SharedActivityBudget(
      int size, Map<TaskQueue, Integer> weights, Map<TaskQueue, Integer> caps, Duration idleDeferral, LongSupplier nanoTime,
      Wakeups wakeups) {
    this.size = size;
    this.idleDeferralNanos = idleDeferral.toNanos();
    this.nanoTime = nanoTime;
    this.wakeups = wakeups;
    for (TaskQueue q : TaskQueue.values()) {
      lanes.put(q, new Lane(q, weights.getOrDefault(q, q.defaultWeight()), caps.getOrDefault(q, size)));
    }
  }

  /** What a queue's last poll brought: nothing yet (none came back), a task, or nothing (idle). */
  private enum LastPoll { NONE, WORK, EMPTY }

  /** The slot supplier the worker of {@code queue} uses. */
  public SlotSupplier<ActivitySlotInfo> supplier(TaskQueue queue) {
    return lanes.get(queue);
  }

  public int size() {
    return size;
  }

  /** Counts of one queue, read consistently. */
  public record QueueUse(TaskQueue queue, int weight, int cap, int held, int running, int waiting, long grants) {}

  public List<QueueUse> use() {
    synchronized (lock) {
      List<QueueUse> use = new ArrayList<>();
      for (Lane l : lanes.values()) {
        use.add(new QueueUse(l.queue, l.weight, l.cap, l.held, l.running, l.waiting.size(), l.grants));
      }
      return use;
    }
  }

  public int running() {
    return use().stream().mapToInt(QueueUse::running).sum();
  }

  // ---- scheduling, always under the lock ----

  private List<Reservation> dispatch() {
    List<Reservation> granted = new ArrayList<>();
    while (heldTotal < size) {
      Lane next = pick();
      if (next == null) {
        break;
      }
      Reservation r = next.waiting.poll();
      grant(next, r.permit);
      granted.add(r);
    }
    return granted;
  }

  private Lane pick() {
    int free = size - heldTotal;
    long now = nanoTime.getAsLong();
    boolean busyWaiting = false;
    int asksComing = 0;
    for (Lane l : lanes.values()) {
      busyWaiting |= eligible(l, free) && !stepsBack(l, now);
      asksComing += l.asksOnReturn(now, Long.MAX_VALUE);
    }
    // A busy queue's poller that is out asks again the moment its poll brings a task: the permits
    // it will ask for are not free for an idle queue (nor is the one kept for sync), or one would
    // pin them for a whole long poll. Idle queues are never sync, so the kept permit is theirs to leave.
    boolean idleMustWait = busyWaiting || free - keptForSync() <= asksComing;
    Lane best = null;
    for (Lane l : lanes.values()) { // EnumMap iterates in priority order: ties go to sync first
      if (!eligible(l, free) || (idleMustWait && stepsBack(l, now))) {
        continue;
      }
      if (best == null || fewerForItsWeight(l, best)) {
        best = l;
      }
    }
    return best == null || leftForAPollOut(best, free, now) ? null : best;
  }

  /**
   * Whether the free permits are left for the next asks of queues due before {@code best} by weight
   * whose pollers are out: a poll with a backlog comes back within milliseconds, and its queue
   * would lose the permit to whichever queue happened to wait at that instant — the leak that made
   * a saturated import run above its weight. A claim lasts {@link #POLL_CLAIM_NANOS} after the
   * poll went out, so a poll that finds nothing costs other queues no more than that: a wake-up
   * looks again when the first claim runs out, should no ask or release come before.
   */
  private boolean leftForAPollOut(Lane best, int free, long now) {
    if (best.queue == TaskQueue.SYNC) {
      return false; // sync waiting is served at once: its start latency is the promise, not its share
    }
    int asks = 0;
    long firstExpiry = Long.MAX_VALUE;
    for (Lane l : lanes.values()) {
      int claims = l != best && fewerForItsWeight(l, best) ? l.asksOnReturn(now, POLL_CLAIM_NANOS) : 0;
      if (claims > 0) {
        asks += claims;
        firstExpiry = Math.min(firstExpiry, l.firstOut(now, POLL_CLAIM_NANOS) + POLL_CLAIM_NANOS);
      }
    }
    if (asks == 0 || free - keptForSync() > asks) {
      return false;
    }
    wakeUpAt(firstExpiry, now); // a claim that runs out unanswered frees its permit without an event of its own
    return true;
  }

  private void wakeUpAt(long at, long now) {
    if (at >= wakeupAt) {
      return;
    }
    wakeupAt = at;
    wakeups.after(at - now, () -> {
      List<Reservation> granted;
      synchronized (lock) {
        if (wakeupAt == at) {
          wakeupAt = Long.MAX_VALUE;
        }
        granted = dispatch();
      }
      complete(granted);
    });
  }

  /** a.held / a.weight < b.held / b.weight, without division. */
  private static boolean fewerForItsWeight(Lane a, Lane b) {
    return (long) a.held * b.weight < (long) b.held * a.weight;
  }

  private boolean eligible(Lane l, int free) {
    return !l.waiting.isEmpty() && l.held < l.cap && (l.queue == TaskQueue.SYNC || free > keptForSync());
  }

  /** An idle non-sync queue lets busy queues go first, until its poller has waited idleDeferral. */
  private boolean stepsBack(Lane l, long now) {
    return l.lastPoll == LastPoll.EMPTY && l.queue != TaskQueue.SYNC && now - l.waiting.peek().since < idleDeferralNanos;
  }

  /**
   * One permit stays free for sync while its poller is between an empty poll and its next ask.
   * Only once sync has a poller: the SDK starts none for a queue without registered activities.
   */
  private int keptForSync() {
    Lane sync = lanes.get(TaskQueue.SYNC);
    boolean syncPolling = sync.held > sync.running;
    return !sync.polled || syncPolling || !sync.waiting.isEmpty() || sync.held >= sync.cap ? 0 : 1;
  }

  private void grant(Lane lane, SlotPermit permit) {
    lane.unusedSince.put(permit, nanoTime.getAsLong());
    lane.held++;
    lane.grants++;
    heldTotal++;
  }

  private static void complete(List<Reservation> granted) {
    for (Reservation r : granted) {
      r.complete(r.permit);
    }
  }

  /**
   * A reservation: waiting, then granted (its permit assigned under the lock, completed outside it)
   * or aborted. Only a granted reservation's first abort hands a permit back; a waiting one's
   * aborts, however many, hand back nothing, for nothing was granted.
   */
  private final class Reservation extends SlotSupplierFuture {
    private final Lane lane;
    private final SlotPermit permit;
    private final long since = nanoTime.getAsLong();
    private boolean aborted;

    Reservation(Lane lane) {
      this.lane = lane;
      this.permit = new SlotPermit(lane.queue);
    }

    @Override
    public SlotPermit abortReservation() {
      boolean wasWaiting;
      synchronized (lock) {
        if (aborted) {
          return null;
        }
        aborted = true;
        wasWaiting = lane.waiting.remove(this);
      }
      if (wasWaiting) {
        completeExceptionally(new CancellationException("reservation aborted"));
        return null;
      }
      // Granted already (perhaps not yet completed): hand the permit back so the SDK releases it.
      complete(permit);
      return permit;
    }
  }

  /** One queue's view of the budget: the SlotSupplier its worker calls. */
  private final class Lane implements SlotSupplier<ActivitySlotInfo> {
    private final TaskQueue queue;
    private final int weight;
    private final int cap;
    private final ArrayDeque<Reservation> waiting = new ArrayDeque<>();
    // Permits granted and not yet released, by identity — used, or unused since their grant (their
    // poller out): only these may be released or marked used, so a repeated or foreign release can
    // never drive the counts below what was granted.
    private final Set<SlotPermit> used = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<SlotPermit, Long> unusedSince = new IdentityHashMap<>();
    private boolean polled;
    private LastPoll lastPoll = LastPoll.NONE;
    private int held;
    private int running;
    private long grants;

    Lane(TaskQueue queue, int weight, int cap) {
      this.queue = queue;
      this.weight = weight;
      this.cap = cap;
    }

    /**
     * The permits this queue's pollers out for less than {@code within} will ask for the moment
     * their polls bring tasks: one per poller holding a permit not yet used, up to the cap — if its
     * last poll brought work.
     */
    int asksOnReturn(long now, long within) {
      if (lastPoll != LastPoll.WORK) {
        return 0;
      }
      int out = (int) unusedSince.values().stream().filter(since -> now - since < within).count();
      return Math.min(out, cap - held);
    }

    /** When the first of its pollers out for less than {@code within} went out: the first of those claims to run out. */
    long firstOut(long now, long within) {
      return unusedSince.values().stream().filter(since -> now - since < within).mapToLong(Long::longValue).min().orElseThrow();
    }

    @Override
    public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
      Reservation r = new Reservation(this);
      List<Reservation> granted;
      synchronized (lock) {
        polled = true;
        waiting.add(r);
        granted = dispatch();
      }
      complete(granted);
      return r;
    }

    @Override
    public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
      synchronized (lock) {
        boolean anyoneWaiting = lanes.values().stream().anyMatch(l -> !l.waiting.isEmpty());
        int free = size - heldTotal;
        int keep = queue == TaskQueue.SYNC ? 0 : keptForSync();
        if (anyoneWaiting || free <= keep || held >= cap) {
          return Optional.empty();
        }
        SlotPermit permit = new SlotPermit(queue);
        grant(this, permit);
        return Optional.of(permit);
      }
    }

    @Override
    public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> ctx) {
      synchronized (lock) {
        if (unusedSince.remove(ctx.getSlotPermit()) == null) {
          log.warn("{}: a permit this budget did not grant, or already marked used, was marked used; ignored", queue);
          return;
        }
        used.add(ctx.getSlotPermit());
        running++;
        lastPoll = LastPoll.WORK;
      }
    }

    @Override
    public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> ctx) {
      List<Reservation> granted;
      synchronized (lock) {
        SlotPermit permit = ctx.getSlotPermit();
        if (used.remove(permit)) {
          running--;
        } else if (unusedSince.remove(permit) != null) {
          lastPoll = LastPoll.EMPTY; // an empty poll (or an aborted reservation) gave the permit back unused
        } else {
          log.warn("{}: a permit this budget did not grant, or already released, was released; ignored", queue);
          return;
        }
        held--;
        heldTotal--;
        granted = dispatch();
      }
      complete(granted);
    }

    @Override
    public Optional<Integer> getMaximumSlots() {
      return Optional.of(Math.max(1, cap)); // sizes the worker's executor, which needs a thread
    }
  }
}
