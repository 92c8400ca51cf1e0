package com.storeops.worker;

import com.storeops.common.TaskQueue;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which waiting queue a free permit goes to (see docs/design/connection-budget.md for the
 * measurements). Reads the lanes only; the budget calls it under its lock.
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
 */
final class GrantPolicy {

  /**
   * How long a busy queue's poller that is out keeps a claim on the permit its next ask will want.
   * Polls that brought a backlogged task took 4–9 ms (median) and 43–57 ms (p99) from grant to
   * start in SharedBudgetLoadTest on the loaded 2-core machine; a poll out longer found nothing,
   * and a queue that waits now should not wait for it. Polls slower than this (a distant cluster)
   * simply claim nothing: the weights then hold a little less exactly, as they did without claims.
   */
  static final long POLL_CLAIM_NANOS = Duration.ofMillis(100).toNanos();

  private final Map<TaskQueue, Lane> lanes;
  private final long idleDeferralNanos;

  /** @param lanes in priority order (an EnumMap): ties go to the first */
  GrantPolicy(Map<TaskQueue, Lane> lanes, Duration idleDeferral) {
    this.lanes = lanes;
    this.idleDeferralNanos = idleDeferral.toNanos();
  }

  /** The queue due the next of {@code free} permits, before claims ({@link #claimsRunOut}); null if none may take it. */
  Lane best(int free, long now) {
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
      if (best == null || l.fewerForItsWeight(best)) {
        best = l;
      }
    }
    return best;
  }

  /**
   * When the claims that leave the free permits to the next asks of queues due before {@code best}
   * by weight, whose pollers are out, run out; empty if the permits are not left to them. A poll
   * with a backlog comes back within milliseconds, and its queue would lose the permit to whichever
   * queue happened to wait at that instant — the leak that made a saturated import run above its
   * weight. A claim lasts {@link #POLL_CLAIM_NANOS} after the poll went out, so a poll that finds
   * nothing costs other queues no more than that: the budget looks again when the first claim runs
   * out, should no ask or release come before.
   */
  OptionalLong claimsRunOut(Lane best, int free, long now) {
    if (best.queue == TaskQueue.SYNC) {
      return OptionalLong.empty(); // sync waiting is served at once: its start latency is the promise, not its share
    }
    int asks = 0;
    long firstExpiry = Long.MAX_VALUE;
    for (Lane l : lanes.values()) {
      int claims = l != best && l.fewerForItsWeight(best) ? l.asksOnReturn(now, POLL_CLAIM_NANOS) : 0;
      if (claims > 0) {
        asks += claims;
        firstExpiry = Math.min(firstExpiry, l.firstOut(now, POLL_CLAIM_NANOS) + POLL_CLAIM_NANOS);
      }
    }
    return asks == 0 || free - keptForSync() > asks ? OptionalLong.empty() : OptionalLong.of(firstExpiry);
  }

  /**
   * One permit stays free for sync while its poller is between an empty poll and its next ask.
   * Only once sync has a poller: the SDK starts none for a queue without registered activities.
   */
  int keptForSync() {
    Lane sync = lanes.get(TaskQueue.SYNC);
    boolean syncPolling = sync.held() > sync.running();
    return !sync.polled() || syncPolling || sync.isWaiting() || sync.held() >= sync.cap ? 0 : 1;
  }

  private boolean eligible(Lane l, int free) {
    return l.isWaiting() && l.held() < l.cap && (l.queue == TaskQueue.SYNC || free > keptForSync());
  }

  /** An idle non-sync queue lets busy queues go first, until its poller has waited idleDeferral. */
  private boolean stepsBack(Lane l, long now) {
    return l.lastPoll() == Lane.LastPoll.EMPTY && l.queue != TaskQueue.SYNC && now - l.waitingSince() < idleDeferralNanos;
  }
}
