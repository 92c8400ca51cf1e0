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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool of activity permits shared by the four queue workers of this process, so that at most
 * {@code size} activities ever run at once — one connection each — whichever queues they come from.
 * Which waiting queue a free permit goes to is {@link GrantPolicy}'s to say.
 *
 * <p>Temporal reserves a permit <i>before</i> each long poll and holds it while polling; that is the
 * SDK's contract, so an idle queue pins one permit per poller. The SDK counts permits per worker
 * only; this class keeps the shared counts, every queue's ({@link Lane}) under one lock, so that a
 * grant sees them all at one instant. Grant futures are completed outside the lock.
 */
public final class SharedActivityBudget {

  private static final Logger log = LoggerFactory.getLogger(SharedActivityBudget.class);

  private final int size;
  private final Map<TaskQueue, Lane> lanes = new EnumMap<>(TaskQueue.class);
  private final Map<TaskQueue, SlotSupplier<ActivitySlotInfo>> suppliers = new EnumMap<>(TaskQueue.class);
  private final Object lock = new Object();
  private final GrantPolicy policy;
  private final LongSupplier nanoTime;
  private final Wakeups wakeups;
  private int heldTotal;
  /** When the wake-up asked for last will look again; Long.MAX_VALUE when none is due. */
  private long wakeupAt = Long.MAX_VALUE;

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

  /**
   * Runs a task after a delay: when a claim on a permit runs out with no ask or release to notice.
   * Called under the budget's lock, so it must only schedule the task, never run it on the caller's
   * thread.
   */
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
    this.nanoTime = nanoTime;
    this.wakeups = wakeups;
    for (TaskQueue q : TaskQueue.values()) {
      Lane lane = new Lane(q, weights.getOrDefault(q, q.defaultWeight()), caps.getOrDefault(q, size));
      lanes.put(q, lane);
      suppliers.put(q, new QueueSupplier(lane));
    }
    this.policy = new GrantPolicy(lanes, idleDeferral);
  }

  /** The slot supplier the worker of {@code queue} uses. */
  public SlotSupplier<ActivitySlotInfo> supplier(TaskQueue queue) {
    return suppliers.get(queue);
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
        use.add(l.use());
      }
      return use;
    }
  }

  public int running() {
    return use().stream().mapToInt(QueueUse::running).sum();
  }

  // ---- granting, always under the lock; the caller completes what it returns once it has let go ----

  private List<Reservation> dispatch() {
    List<Reservation> granted = new ArrayList<>();
    while (heldTotal < size) {
      Lane next = pick();
      if (next == null) {
        break;
      }
      Reservation r = next.take();
      grant(next, r.permit);
      granted.add(r);
    }
    return granted;
  }

  private Lane pick() {
    int free = size - heldTotal;
    long now = nanoTime.getAsLong();
    Lane best = policy.best(free, now);
    if (best == null) {
      return null;
    }
    OptionalLong claimsRunOut = policy.claimsRunOut(best, free, now);
    if (claimsRunOut.isEmpty()) {
      return best;
    }
    wakeUpAt(claimsRunOut.getAsLong(), now); // a claim that runs out unanswered frees its permit without an event of its own
    return null;
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
      Reservation.completeAll(granted);
    });
  }

  private void grant(Lane lane, SlotPermit permit) {
    lane.grant(permit, nanoTime.getAsLong());
    heldTotal++;
  }

  /** One queue's view of the budget: the SlotSupplier its worker calls. */
  private final class QueueSupplier implements SlotSupplier<ActivitySlotInfo> {
    private final Lane lane;

    QueueSupplier(Lane lane) {
      this.lane = lane;
    }

    @Override
    public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
      Reservation r = new Reservation(lane, lock, nanoTime.getAsLong());
      List<Reservation> granted;
      synchronized (lock) {
        lane.ask(r);
        granted = dispatch();
      }
      Reservation.completeAll(granted);
      return r;
    }

    @Override
    public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
      synchronized (lock) {
        boolean anyoneWaiting = lanes.values().stream().anyMatch(Lane::isWaiting);
        int free = size - heldTotal;
        int keep = lane.queue == TaskQueue.SYNC ? 0 : policy.keptForSync();
        if (anyoneWaiting || free <= keep || lane.held() >= lane.cap) {
          return Optional.empty();
        }
        SlotPermit permit = new SlotPermit(lane.queue);
        grant(lane, permit);
        return Optional.of(permit);
      }
    }

    @Override
    public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> ctx) {
      synchronized (lock) {
        if (!lane.markUsed(ctx.getSlotPermit())) {
          log.warn("{}: a permit this budget did not grant, or already marked used, was marked used; ignored", lane.queue);
        }
      }
    }

    @Override
    public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> ctx) {
      List<Reservation> granted;
      synchronized (lock) {
        if (!lane.release(ctx.getSlotPermit())) {
          log.warn("{}: a permit this budget did not grant, or already released, was released; ignored", lane.queue);
          return;
        }
        heldTotal--;
        granted = dispatch();
      }
      Reservation.completeAll(granted);
    }

    @Override
    public Optional<Integer> getMaximumSlots() {
      return Optional.of(Math.max(1, lane.cap)); // sizes the worker's executor, which needs a thread
    }
  }
}
