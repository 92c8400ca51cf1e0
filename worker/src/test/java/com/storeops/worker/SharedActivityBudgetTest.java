package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.storeops.common.TaskQueue;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReleaseReason;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The grant policy, driven the way Temporal's pollers drive a SlotSupplier, without a server. */
@Timeout(10)
class SharedActivityBudgetTest {

  private static final Map<TaskQueue, Integer> WEIGHTS =
      Map.of(TaskQueue.SYNC, 4, TaskQueue.GENERATION, 3, TaskQueue.BATCH, 2, TaskQueue.IMPORT, 1);
  private static final SlotReserveContext<ActivitySlotInfo> RESERVE = mock(SlotReserveContext.class);
  /** On a clock the test moves, a claim runs out only when the test says so. */
  private static final SharedActivityBudget.Wakeups NO_WAKEUPS = (delay, task) -> {};

  private final Map<TaskQueue, Deque<SlotSupplierFuture>> pending = new EnumMap<>(TaskQueue.class);

  private SharedActivityBudget budget(int size, Map<TaskQueue, Integer> caps) {
    return new SharedActivityBudget(size, WEIGHTS, caps);
  }

  /** Sync's poller, idle in its long poll, holding one permit: the normal state of a worker. */
  private SharedActivityBudget withIdleSyncPoller(int size, Map<TaskQueue, Integer> caps) {
    SharedActivityBudget b = budget(size + 1, caps);
    assertThat(reserve(b, TaskQueue.SYNC)).isDone();
    return b;
  }

  private SlotSupplierFuture reserve(SharedActivityBudget b, TaskQueue q) {
    SlotSupplierFuture f;
    try {
      f = b.supplier(q).reserveSlot(RESERVE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return f;
  }

  private static SlotPermit use(SharedActivityBudget b, TaskQueue q, SlotSupplierFuture f) {
    assertThat(f).as("reservation of %s was granted", q).isDone();
    SlotPermit permit = f.join();
    b.supplier(q).markSlotUsed(new Used(permit));
    return permit;
  }

  private static void finish(SharedActivityBudget b, TaskQueue q, SlotPermit permit) {
    b.supplier(q).releaseSlot(new Released(SlotReleaseReason.taskComplete(), permit, mock(ActivitySlotInfo.class)));
  }

  private static void returnUnused(SharedActivityBudget b, TaskQueue q, SlotPermit permit) {
    b.supplier(q).releaseSlot(new Released(SlotReleaseReason.neverUsed(), permit, null));
  }

  @Test
  void grantsUpToTheBudgetThenMakesReservationsWait() {
    SharedActivityBudget b = withIdleSyncPoller(3, Map.of());
    List<SlotSupplierFuture> futures = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      futures.add(reserve(b, TaskQueue.IMPORT));
    }

    assertThat(futures.stream().filter(SlotSupplierFuture::isDone)).hasSize(3);
    SlotPermit permit = use(b, TaskQueue.IMPORT, futures.get(0));
    finish(b, TaskQueue.IMPORT, permit);
    assertThat(futures.get(3)).isDone();
  }

  @Test
  void oneQueueAloneMayHoldEveryPermitTheIdlePollersDoNotHold() {
    SharedActivityBudget b = withIdleSyncPoller(5, Map.of());
    for (int i = 0; i < 5; i++) {
      use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    }

    assertThat(b.running()).isEqualTo(5);
    assertThat(reserve(b, TaskQueue.IMPORT)).isNotDone();
  }

  @Test
  void underContentionPermitsAndGrantsFollowTheWeights() {
    SharedActivityBudget b = budget(10, Map.of());
    Deque<Object[]> runningOldestFirst = new ArrayDeque<>();
    for (TaskQueue q : TaskQueue.values()) {
      pending.put(q, new ArrayDeque<>());
    }
    // Every queue floods: each poller runs what it is granted and asks again at once.
    for (int i = 0; i < 10; i++) {
      for (TaskQueue q : TaskQueue.values()) {
        pending.get(q).add(reserve(b, q));
      }
    }
    drainGranted(b, runningOldestFirst);
    Map<TaskQueue, Integer> granted = new EnumMap<>(TaskQueue.class);
    for (int i = 0; i < 1000; i++) {
      Object[] oldest = runningOldestFirst.poll(); // equal durations: activities finish in start order
      finish(b, (TaskQueue) oldest[0], (SlotPermit) oldest[1]);
      TaskQueue winner = drainGranted(b, runningOldestFirst);
      granted.merge(winner, 1, Integer::sum);
    }

    assertThat(b.use()).extracting(SharedActivityBudget.QueueUse::held).containsExactly(4, 3, 2, 1);
    assertThat(granted.get(TaskQueue.SYNC)).isBetween(390, 410);
    assertThat(granted.get(TaskQueue.GENERATION)).isBetween(290, 310);
    assertThat(granted.get(TaskQueue.BATCH)).isBetween(190, 210);
    assertThat(granted.get(TaskQueue.IMPORT)).isBetween(90, 110);
  }

  /** Starts every granted reservation, re-reserving for its queue; returns the last queue served. */
  private TaskQueue drainGranted(SharedActivityBudget b, Deque<Object[]> running) {
    TaskQueue last = null;
    for (TaskQueue q : TaskQueue.values()) {
      while (!pending.get(q).isEmpty() && pending.get(q).peek().isDone()) {
        running.add(new Object[] {q, use(b, q, pending.get(q).poll())});
        pending.get(q).add(reserve(b, q));
        last = q;
      }
    }
    return last;
  }

  @Test
  void syncPollerAskingAgainIsServedBeforeBusyQueues() {
    SharedActivityBudget b = budget(5, Map.of());
    SlotSupplierFuture syncPoll = reserve(b, TaskQueue.SYNC);
    SlotPermit a = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    SlotSupplierFuture importWaits = reserve(b, TaskQueue.IMPORT);
    SlotSupplierFuture batchWaits = reserve(b, TaskQueue.BATCH);
    use(b, TaskQueue.SYNC, syncPoll); // a sync task arrived; the poller asks for its next permit
    SlotSupplierFuture syncWaits = reserve(b, TaskQueue.SYNC);

    finish(b, TaskQueue.IMPORT, a);

    assertThat(syncWaits).isDone();
    assertThat(importWaits).isNotDone();
    assertThat(batchWaits).isNotDone();
  }

  @Test
  void permitReturnedBySyncsEmptyPollIsKeptForSync() {
    SharedActivityBudget b = budget(2, Map.of());
    SlotPermit syncPoll = reserve(b, TaskQueue.SYNC).join();
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotSupplierFuture importWaits = reserve(b, TaskQueue.IMPORT);

    returnUnused(b, TaskQueue.SYNC, syncPoll);
    assertThat(importWaits).as("import may not take the permit sync just gave back").isNotDone();
    SlotSupplierFuture syncAgain = reserve(b, TaskQueue.SYNC);

    assertThat(syncAgain).isDone();
  }

  @Test
  void capLimitsAQueueEvenWithFreePermits() {
    SharedActivityBudget b = withIdleSyncPoller(6, Map.of(TaskQueue.GENERATION, 2));
    use(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION));
    use(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION));

    assertThat(reserve(b, TaskQueue.GENERATION)).isNotDone();
    assertThat(reserve(b, TaskQueue.IMPORT)).isDone();
  }

  @Test
  void abortingAWaitingReservationLeavesNoTrace() {
    SharedActivityBudget b = withIdleSyncPoller(1, Map.of());
    SlotPermit held = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotSupplierFuture waiting = reserve(b, TaskQueue.BATCH);

    assertThat(waiting.abortReservation()).isNull();
    finish(b, TaskQueue.IMPORT, held);

    assertThat(b.use()).filteredOn(u -> u.queue() != TaskQueue.SYNC).allMatch(u -> u.held() == 0 && u.waiting() == 0);
  }

  @Test
  void abortingAGrantedReservationHandsThePermitBack() {
    SharedActivityBudget b = withIdleSyncPoller(1, Map.of());
    SlotSupplierFuture granted = reserve(b, TaskQueue.BATCH);

    SlotPermit returned = granted.abortReservation();
    assertThat(returned).isNotNull();
    returnUnused(b, TaskQueue.BATCH, returned); // what the SDK does with a returned permit

    assertThat(reserve(b, TaskQueue.IMPORT)).isDone();
  }

  @Test
  void idleQueueStepsBackBehindBusyQueuesUntilItsDeferralRunsOut() {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(3, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    reserve(b, TaskQueue.SYNC); // sync's idle poller
    returnUnused(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION).join()); // an empty poll: idle
    SlotPermit first = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotPermit second = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotSupplierFuture generationPolls = reserve(b, TaskQueue.GENERATION);
    SlotSupplierFuture importPolls = reserve(b, TaskQueue.IMPORT);

    finish(b, TaskQueue.IMPORT, first);
    assertThat(importPolls).as("the busy queue gets the permit").isDone();
    assertThat(generationPolls).as("the idle queue, holding nothing, still steps back").isNotDone();

    use(b, TaskQueue.IMPORT, importPolls);
    reserve(b, TaskQueue.IMPORT);
    now[0] += Duration.ofSeconds(31).toNanos();
    finish(b, TaskQueue.IMPORT, second);
    assertThat(generationPolls).as("after its deferral it competes as usual").isDone();
  }

  @Test
  void idleQueueLeavesAPermitForTheNextAskOfABusyQueueWhosePollIsOut() {
    // CI once saw batch alone run on one permit fewer than it should: a batch activity ended while
    // batch's poller was out fetching the next task, so for those milliseconds no busy queue waited,
    // and the stepped-back generation poller took the permit for a whole long poll.
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(3, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    returnUnused(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC).join()); // sync's empty poll: idle
    reserve(b, TaskQueue.SYNC); // and polling again
    returnUnused(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION).join()); // an empty poll: idle
    SlotPermit running = use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    SlotSupplierFuture batchPollIsOut = reserve(b, TaskQueue.BATCH);
    assertThat(batchPollIsOut).isDone();
    SlotSupplierFuture generationPolls = reserve(b, TaskQueue.GENERATION);

    finish(b, TaskQueue.BATCH, running);
    assertThat(generationPolls).as("the idle queue steps back while the busy queue's poll is out").isNotDone();

    use(b, TaskQueue.BATCH, batchPollIsOut); // the poll brought a task: batch asks again at once
    SlotSupplierFuture batchPollsAgain = reserve(b, TaskQueue.BATCH);
    assertThat(batchPollsAgain).as("the busy queue's next ask finds its permit").isDone();
    assertThat(generationPolls).isNotDone();

    returnUnused(b, TaskQueue.BATCH, batchPollsAgain.join()); // batch's backlog is done: its poll comes back empty
    assertThat(generationPolls).as("with no busy poll out, the idle queue polls").isDone();
  }

  @Test
  void theBusyQueuesNextAskIsLeftAPermitBesideTheOneKeptForSync() {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(4, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    returnUnused(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC).join()); // sync between an empty poll and its next ask
    returnUnused(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION).join()); // an empty poll: idle
    SlotPermit running = use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    SlotSupplierFuture batchPollIsOut = reserve(b, TaskQueue.BATCH);
    assertThat(batchPollIsOut).isDone();
    SlotSupplierFuture generationPolls = reserve(b, TaskQueue.GENERATION);

    finish(b, TaskQueue.BATCH, running); // two free: one kept for sync, one for batch's next ask
    assertThat(generationPolls).as("the idle queue takes neither").isNotDone();

    assertThat(reserve(b, TaskQueue.SYNC)).isDone();
    use(b, TaskQueue.BATCH, batchPollIsOut);
    assertThat(reserve(b, TaskQueue.BATCH)).isDone();
    assertThat(generationPolls).isNotDone();
  }

  @Test
  void idleQueueLeavesAPermitForEachPollerOfABusyQueueThatIsOut() {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(5, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    returnUnused(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC).join());
    reserve(b, TaskQueue.SYNC); // sync idle, polling again
    returnUnused(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION).join()); // an empty poll: idle
    SlotPermit running = use(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH));
    assertThat(reserve(b, TaskQueue.BATCH)).isDone(); // batch has two pollers: both out
    assertThat(reserve(b, TaskQueue.BATCH)).isDone();
    SlotSupplierFuture generationPolls = reserve(b, TaskQueue.GENERATION);

    finish(b, TaskQueue.BATCH, running); // two free, and two batch polls out that may each bring a task
    assertThat(generationPolls).isNotDone();
  }

  /** A budget of 5 on a clock the test moves, with sync's poller out while import waits ({@link #syncPollingWhileImportWaits}). */
  private record Contended(SharedActivityBudget budget, long[] now, SlotSupplierFuture syncPoll, SlotPermit syncRunning,
      SlotSupplierFuture importWaits) {}

  /**
   * Sync runs two activities and its poller is out fetching a third from its backlog; import, at
   * its weight's worth and more, waits.
   */
  private Contended syncPollingWhileImportWaits(SharedActivityBudget.Wakeups wakeups) {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(5, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], wakeups);
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotPermit syncRunning = use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    SlotSupplierFuture syncPoll = reserve(b, TaskQueue.SYNC);
    assertThat(syncPoll).isDone();
    SlotSupplierFuture importWaits = reserve(b, TaskQueue.IMPORT);
    assertThat(importWaits).as("the budget is full").isNotDone();
    return new Contended(b, now, syncPoll, syncRunning, importWaits);
  }

  @Test
  void aPermitFreedWhileTheQueueDueByWeightIsPollingIsLeftForItsNextAsk() {
    // A cold-JVM run of SharedBudgetLoadTest saw import complete 11-13 % of the work for its 10 %:
    // a sync activity ended while sync's poller was out, and import, the queue waiting at that
    // instant, took the permit sync was due by weight.
    Contended c = syncPollingWhileImportWaits(NO_WAKEUPS);

    c.now()[0] += Duration.ofMillis(2).toNanos();
    finish(c.budget(), TaskQueue.SYNC, c.syncRunning()); // sync holds 2 for its 4, import 2 for its 1
    assertThat(c.importWaits()).as("the permit is left for sync's next ask").isNotDone();

    use(c.budget(), TaskQueue.SYNC, c.syncPoll()); // the poll brought a task: sync asks again at once
    assertThat(reserve(c.budget(), TaskQueue.SYNC)).isDone();
    assertThat(c.importWaits()).isNotDone();
  }

  @Test
  void aPollOutLongerThanABackloggedPollTakesClaimsNoPermit() {
    Contended c = syncPollingWhileImportWaits(NO_WAKEUPS);

    c.now()[0] += Duration.ofSeconds(1).toNanos(); // sync's poll found no backlog: a long poll
    finish(c.budget(), TaskQueue.SYNC, c.syncRunning());
    assertThat(c.importWaits()).as("a queue waiting gets the permit").isDone();
  }

  @Test
  void aClaimThatRunsOutUnansweredHandsItsPermitOnWhenItEnds() {
    // sync's poll found nothing and waits out its long poll: nothing else asks or releases meanwhile
    List<Object[]> wakeups = new ArrayList<>();
    Contended c = syncPollingWhileImportWaits((delay, task) -> wakeups.add(new Object[] {delay, task}));

    c.now()[0] += Duration.ofMillis(2).toNanos();
    finish(c.budget(), TaskQueue.SYNC, c.syncRunning());
    assertThat(c.importWaits()).isNotDone();
    assertThat(wakeups).as("a wake-up when the claim runs out").hasSize(1);
    assertThat((long) wakeups.get(0)[0]).isEqualTo(GrantPolicy.POLL_CLAIM_NANOS - Duration.ofMillis(2).toNanos());

    c.now()[0] += (long) wakeups.get(0)[0];
    ((Runnable) wakeups.get(0)[1]).run();
    assertThat(c.importWaits()).as("the permit goes to the queue waiting").isDone();
  }

  @Test
  void theWakeUpComesWhenTheFirstOfSeveralClaimsRunsOut() {
    long[] now = {0};
    List<Long> delays = new ArrayList<>();
    SharedActivityBudget b = new SharedActivityBudget(6, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0],
        (delay, task) -> delays.add(delay));
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotPermit running = use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    assertThat(reserve(b, TaskQueue.SYNC)).isDone(); // sync's first poller out at 0 ms
    now[0] += Duration.ofMillis(50).toNanos();
    assertThat(reserve(b, TaskQueue.SYNC)).isDone(); // its second at 50 ms
    SlotSupplierFuture importWaits = reserve(b, TaskQueue.IMPORT);

    now[0] += Duration.ofMillis(2).toNanos();
    finish(b, TaskQueue.SYNC, running);
    assertThat(importWaits).isNotDone();
    assertThat(delays).containsExactly(GrantPolicy.POLL_CLAIM_NANOS - Duration.ofMillis(52).toNanos());
  }

  @Test
  void onlyPollersOutForLessThanTheClaimClaimAPermit() {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(6, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotPermit first = use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    SlotPermit second = use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    assertThat(reserve(b, TaskQueue.SYNC)).isDone(); // one of sync's two pollers: out in a long poll
    now[0] += Duration.ofSeconds(1).toNanos();
    assertThat(reserve(b, TaskQueue.SYNC)).isDone(); // the other, just out
    SlotSupplierFuture importWaits = reserve(b, TaskQueue.IMPORT);

    now[0] += Duration.ofMillis(2).toNanos();
    finish(b, TaskQueue.SYNC, first);
    assertThat(importWaits).as("one free permit, claimed by the poller just out").isNotDone();
    finish(b, TaskQueue.SYNC, second);
    assertThat(importWaits).as("the poller out for a second claims none").isDone();
  }

  @Test
  void syncWaitingIsNeverHeldBackByAClaim() {
    long[] now = {0};
    SharedActivityBudget b = new SharedActivityBudget(6, WEIGHTS, Map.of(), Duration.ofSeconds(30), () -> now[0], NO_WAKEUPS);
    use(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION));
    assertThat(reserve(b, TaskQueue.GENERATION)).isDone(); // generation's poller out for its next task
    SlotPermit syncRunning = use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    for (int i = 0; i < 3; i++) {
      use(b, TaskQueue.SYNC, reserve(b, TaskQueue.SYNC));
    }
    SlotSupplierFuture syncWaits = reserve(b, TaskQueue.SYNC);
    assertThat(syncWaits).as("the budget is full").isNotDone();

    now[0] += Duration.ofMillis(2).toNanos();
    finish(b, TaskQueue.SYNC, syncRunning); // sync holds 3 for its 4, generation 2 for its 3
    assertThat(syncWaits).as("sync takes the permit though generation is due by weight").isDone();
  }

  @Test
  void idleQueueTakesAFreePermitWhenNoBusyQueueWaits() {
    SharedActivityBudget b = new SharedActivityBudget(3, WEIGHTS, Map.of(), Duration.ofSeconds(30));
    reserve(b, TaskQueue.SYNC);
    returnUnused(b, TaskQueue.BATCH, reserve(b, TaskQueue.BATCH).join());

    assertThat(reserve(b, TaskQueue.BATCH)).isDone();
  }

  @Test
  void eagerReservationTakesAFreePermitWhenNobodyWaits() {
    SharedActivityBudget b = withIdleSyncPoller(2, Map.of());

    assertThat(b.supplier(TaskQueue.BATCH).tryReserveSlot(RESERVE)).isPresent();
  }

  @Test
  void eagerReservationNeverOvertakesAWaitingOne() {
    SharedActivityBudget b = withIdleSyncPoller(3, Map.of(TaskQueue.GENERATION, 1));
    use(b, TaskQueue.GENERATION, reserve(b, TaskQueue.GENERATION));
    SlotSupplierFuture capped = reserve(b, TaskQueue.GENERATION); // waits at its cap, permits free

    assertThat(capped).isNotDone();
    assertThat(b.supplier(TaskQueue.BATCH).tryReserveSlot(RESERVE)).isEmpty();
  }

  @Test
  void eagerReservationLeavesThePermitKeptForSync() {
    SharedActivityBudget b = budget(2, Map.of());
    SlotPermit syncPoll = reserve(b, TaskQueue.SYNC).join();
    use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));

    returnUnused(b, TaskQueue.SYNC, syncPoll);

    assertThat(b.supplier(TaskQueue.BATCH).tryReserveSlot(RESERVE)).isEmpty();
    assertThat(b.supplier(TaskQueue.SYNC).tryReserveSlot(RESERVE)).isPresent();
  }

  @Test
  void abortingTwiceHandsThePermitBackOnce() {
    SharedActivityBudget b = withIdleSyncPoller(1, Map.of());
    SlotSupplierFuture granted = reserve(b, TaskQueue.BATCH);

    assertThat(granted.abortReservation()).isNotNull();
    assertThat(granted.abortReservation()).isNull();
  }

  @Test
  void abortingAWaitingReservationTwiceReturnsNoPermit() {
    SharedActivityBudget b = withIdleSyncPoller(1, Map.of());
    SlotPermit held = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));
    SlotSupplierFuture waiting = reserve(b, TaskQueue.BATCH);

    assertThat(waiting.abortReservation()).isNull();
    assertThat(waiting.abortReservation()).as("a permit that was never granted").isNull();
    finish(b, TaskQueue.IMPORT, held);

    assertThat(b.use()).filteredOn(u -> u.queue() != TaskQueue.SYNC).allMatch(u -> u.held() == 0 && u.waiting() == 0);
  }

  @Test
  void releasingAPermitTheBudgetDidNotGrantChangesNoCount() {
    SharedActivityBudget b = withIdleSyncPoller(1, Map.of());
    SlotPermit held = use(b, TaskQueue.IMPORT, reserve(b, TaskQueue.IMPORT));

    finish(b, TaskQueue.IMPORT, held);
    finish(b, TaskQueue.IMPORT, held); // released twice
    returnUnused(b, TaskQueue.BATCH, new SlotPermit(TaskQueue.BATCH)); // never granted

    assertThat(b.use()).filteredOn(u -> u.queue() != TaskQueue.SYNC)
        .allMatch(u -> u.held() == 0 && u.running() == 0);
    // still exactly one free permit beside sync's poller: a second import waits
    assertThat(reserve(b, TaskQueue.IMPORT)).isDone();
    assertThat(reserve(b, TaskQueue.IMPORT)).isNotDone();
  }

  private record Used(SlotPermit permit) implements SlotMarkUsedContext<ActivitySlotInfo> {
    @Override
    public ActivitySlotInfo getSlotInfo() {
      return mock(ActivitySlotInfo.class);
    }

    @Override
    public SlotPermit getSlotPermit() {
      return permit;
    }
  }

  private record Released(SlotReleaseReason reason, SlotPermit permit, ActivitySlotInfo info)
      implements SlotReleaseContext<ActivitySlotInfo> {
    @Override
    public SlotReleaseReason getSlotReleaseReason() {
      return reason;
    }

    @Override
    public SlotPermit getSlotPermit() {
      return permit;
    }

    @Override
    public ActivitySlotInfo getSlotInfo() {
      return info;
    }
  }
}
