package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.TaskQueue;
import com.storeops.config.InvalidSettingException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivityBudgetTest {

  private static final Roles BOTH = new Roles(true, true);
  private static final Roles WORKER_ONLY = new Roles(false, true);

  private static WorkerSettings settings(Integer maxOps, Integer concurrency, Map<TaskQueue, Integer> caps) {
    Map<TaskQueue, WorkerSettings.Queue> queues = new EnumMap<>(TaskQueue.class);
    for (TaskQueue q : TaskQueue.values()) {
      queues.put(q, new WorkerSettings.Queue(q.defaultWeight(), caps.get(q), 1, 2));
    }
    return new WorkerSettings("api,worker", 3, maxOps, concurrency, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, queues);
  }

  @Test
  void seedDefaultsLeaveTheApiReserveAndShareTheRestByWeight() {
    ActivityBudget budget = ActivityBudget.plan(15, BOTH, settings(null, null, Map.of()), 2);

    assertThat(budget.budget()).isEqualTo(12);
    assertThat(budget.weights())
        .containsEntry(TaskQueue.SYNC, 4)
        .containsEntry(TaskQueue.GENERATION, 3)
        .containsEntry(TaskQueue.BATCH, 2)
        .containsEntry(TaskQueue.IMPORT, 1);
    assertThat(budget.caps()).containsEntry(TaskQueue.SYNC, 12).containsEntry(TaskQueue.IMPORT, 12);
  }

  @Test
  void workerOnlyProcessKeepsOneConnectionForHealthChecksAndGivesActivitiesTheRest() {
    ActivityBudget budget = ActivityBudget.plan(15, WORKER_ONLY, settings(null, null, Map.of()), 2);

    assertThat(budget.reserve()).isEqualTo(1);
    assertThat(budget.budget()).isEqualTo(14);
  }

  @Test
  void apiOnlyProcessRunsNoActivitiesAndChecksNoBudget() {
    ActivityBudget budget = ActivityBudget.plan(6, new Roles(true, false), settings(50, null, Map.of()), 2);

    assertThat(budget.budget()).isZero();
    assertThat(budget.describe()).contains("all 6 connections serve the API");
  }

  @Test
  void negativeOrWholePoolApiReserveIsRefused() {
    WorkerSettings negative = new WorkerSettings("api,worker", -5, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, Map.of());
    WorkerSettings whole = new WorkerSettings("api,worker", 15, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, Map.of());

    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, negative, 2)).hasMessageStartingWith("STOREOPS_API_RESERVE: ");
    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, whole, 2)).hasMessageStartingWith("STOREOPS_API_RESERVE: ");
  }

  @Test
  void emptyOperationTimeoutIsRefusedWithItsName() {
    assertThatThrownBy(() -> new WorkerSettings("api,worker", 3, null, null, null, null, Duration.ofSeconds(5), Duration.ofSeconds(30), 10, Map.of()))
        .hasMessageStartingWith("OPERATION_TIMEOUT: ");
  }

  @Test
  void generationIsCappedAtTheCoresUnlessConfigured() {
    assertThat(ActivityBudget.plan(15, BOTH, settings(null, null, Map.of()), 3).caps())
        .containsEntry(TaskQueue.GENERATION, 3);
    assertThat(ActivityBudget.plan(15, BOTH, settings(null, null, Map.of(TaskQueue.GENERATION, 6)), 3).caps())
        .containsEntry(TaskQueue.GENERATION, 6);
  }

  @Test
  void maxConcurrentOperationsLowersTheBudgetAndTheCaps() {
    ActivityBudget budget = ActivityBudget.plan(15, BOTH, settings(8, null, Map.of()), 2);

    assertThat(budget.budget()).isEqualTo(8);
    assertThat(budget.caps().values()).allMatch(cap -> cap <= 8);
  }

  @Test
  void maxConcurrentOperationsAbovePoolStopsStartupWithTheArithmetic() {
    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, settings(20, null, Map.of()), 2))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("MAX_CONCURRENT_OPERATIONS: 20 concurrent activities would need 20 connections")
        .hasMessageContaining("DB_POOL_SIZE + DB_MAX_OVERFLOW = 15, minus STOREOPS_API_RESERVE 3 for the api role = 12");
  }

  @Test
  void workerConcurrencyAbovePoolIsRejectedUnderItsOwnName() {
    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, settings(null, 16, Map.of()), 2))
        .hasMessageStartingWith("WORKER_CONCURRENCY: 16 concurrent activities");
  }

  @Test
  void zeroWeightIsRefusedBecauseItWouldStarveTheQueue() {
    Map<TaskQueue, WorkerSettings.Queue> queues = new EnumMap<>(TaskQueue.class);
    queues.put(TaskQueue.IMPORT, new WorkerSettings.Queue(0, null, 1, 2));
    WorkerSettings s = new WorkerSettings("api,worker", 3, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, queues);

    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, s, 2)).hasMessageStartingWith("STOREOPS_IMPORT_WEIGHT: ");
  }

  @Test
  void poolTooSmallForOneSlotPerQueueIsRejected() {
    assertThatThrownBy(() -> ActivityBudget.plan(5, BOTH, settings(null, null, Map.of()), 2))
        .hasMessageContaining("each of the 4 queues needs at least one permit to poll");
  }

  @Test
  void rolesParseAndRejectUnknownNames() {
    assertThat(Roles.parse("api")).isEqualTo(new Roles(true, false));
    assertThat(Roles.parse(" worker , API ")).isEqualTo(new Roles(true, true));
    assertThatThrownBy(() -> Roles.parse("api,scheduler")).hasMessageStartingWith("STOREOPS_ROLES: ");
    assertThatThrownBy(() -> Roles.parse("")).hasMessageStartingWith("STOREOPS_ROLES: ");
  }
}
