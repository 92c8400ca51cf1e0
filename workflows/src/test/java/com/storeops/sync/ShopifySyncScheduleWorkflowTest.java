package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schedule's timing on the test server's skipped time: periodic syncs, debounced bursts, a running sync, a new timing. */
class ShopifySyncScheduleWorkflowTest {

  private TestWorkflowEnvironment env;
  private final List<Long> startsAtSecond = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger refuseNext = new AtomicInteger();
  private long t0;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("sync");
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), ShopifySyncScheduleWorkflowImpl.class);
    worker.registerActivitiesImplementations((ShopifySyncScheduleActivities) shop -> {
      startsAtSecond.add((env.currentTimeMillis() - t0) / 1000);
      return refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) == 0;
    });
    env.start();
    t0 = env.currentTimeMillis();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void syncsEveryIntervalWithoutChanges() {
    schedule(600, 10);

    env.sleep(Duration.ofMinutes(31));

    assertThat(startsAtSecond).containsExactly(600L, 1200L, 1800L);
  }

  @Test
  void aBurstOfChangesBecomesOneSyncOnceTheShopIsQuiet() {
    ShopifySyncScheduleWorkflow schedule = schedule(3600, 10);
    for (int i = 0; i < 5; i++) {
      schedule.productsChanged();
      env.sleep(Duration.ofSeconds(3));
    }

    env.sleep(Duration.ofMinutes(1));

    assertThat(startsAtSecond).as("10 s after the last of five changes 3 s apart").hasSize(1);
    assertThat(startsAtSecond.get(0)).isBetween(22L, 27L);
  }

  @Test
  void aChangeWhileASyncRunsIsSyncedAgainAfterIt() {
    ShopifySyncScheduleWorkflow schedule = schedule(3600, 10);
    refuseNext.set(2); // the first two starts find a sync running

    schedule.productsChanged();
    env.sleep(Duration.ofMinutes(1));

    assertThat(startsAtSecond).as("tried after the debounce, then every debounce until one started").hasSize(3);
  }

  @Test
  void aShorterIntervalCountsFromTheLastSyncNotFromTheRestart() {
    ShopifySyncScheduleWorkflow schedule = schedule(3600, 10);
    env.sleep(Duration.ofMinutes(5));

    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(600, 10));
    env.sleep(Duration.ofMinutes(26));

    // A signal's workflow task runs for a moment on the test server's real clock: a few seconds' slack.
    assertThat(startsAtSecond).hasSize(3);
    assertThat(startsAtSecond.get(0)).isBetween(600L, 605L);
  }

  @Test
  void aLongerIntervalPostponesTheNextSync() {
    ShopifySyncScheduleWorkflow schedule = schedule(600, 10);
    env.sleep(Duration.ofMinutes(5));

    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(3600, 10));
    env.sleep(Duration.ofMinutes(56));

    assertThat(startsAtSecond).hasSize(1);
    assertThat(startsAtSecond.get(0)).isBetween(3600L, 3605L);
  }

  @Test
  void anIntervalAlreadyPastSyncsAtOnce() {
    ShopifySyncScheduleWorkflow schedule = schedule(3600, 10);
    env.sleep(Duration.ofMinutes(20));

    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(600, 10));
    env.sleep(Duration.ofMinutes(1));

    assertThat(startsAtSecond).hasSize(1);
    assertThat(startsAtSecond.get(0)).isBetween(1200L, 1205L);
  }

  @Test
  void theTimingInUseChangesNothing() {
    ShopifySyncScheduleWorkflow schedule = schedule(600, 10);
    env.sleep(Duration.ofMinutes(5));

    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(600, 10));
    env.sleep(Duration.ofMinutes(16));

    assertThat(startsAtSecond).as("the timer under way kept").containsExactly(600L, 1200L);
  }

  @Test
  void aNewDebounceAppliesToTheNextChange() {
    ShopifySyncScheduleWorkflow schedule = schedule(3600, 10);
    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(3600, 60));

    schedule.productsChanged();
    env.sleep(Duration.ofMinutes(3));

    assertThat(startsAtSecond).hasSize(1);
    assertThat(startsAtSecond.get(0)).as("60 s after the change, not 10").isBetween(60L, 62L);
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("shopify-sync-schedule.json", ShopifySyncScheduleWorkflowImpl.class);
    RecordedHistories.replay("shopify-sync-schedule-reconfigured.json", ShopifySyncScheduleWorkflowImpl.class);
  }

  /**
   * A schedule that ran a periodic sync, a debounced one and a refused one, then took a new interval
   * (a restart) and synced on it (it never ends: recorded mid-run).
   */
  @RecordsHistory
  void recordHistory() throws Exception {
    ShopifySyncScheduleWorkflow schedule = schedule(600, 10);
    env.sleep(Duration.ofMinutes(11));
    refuseNext.set(1);
    schedule.productsChanged();
    env.sleep(Duration.ofMinutes(1));
    schedule.configure(new ShopifySyncScheduleWorkflow.Timing(300, 10));
    env.sleep(Duration.ofMinutes(6));
    RecordedHistories.save(env.getWorkflowClient(), "schedule", "shopify-sync-schedule-reconfigured.json");
  }

  private ShopifySyncScheduleWorkflow schedule(long interval, long debounce) {
    ShopifySyncScheduleWorkflow schedule = env.getWorkflowClient().newWorkflowStub(ShopifySyncScheduleWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("sync").setWorkflowId("schedule").build());
    WorkflowClient.start(schedule::run, new ShopifySyncScheduleWorkflow.Schedule("s", interval, debounce, false));
    return schedule;
  }
}
