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

  private static WorkerSettings settings(Integer maxOps, Integer concurrency, Map<TaskQueue, Integer> fixedSlots) {
    Map<TaskQueue, WorkerSettings.Queue> queues = new EnumMap<>(TaskQueue.class);
    for (TaskQueue q : TaskQueue.values()) {
      queues.put(q, new WorkerSettings.Queue(q.defaultWeight(), fixedSlots.get(q), 1, 2));
    }
    return new WorkerSettings("api,worker", 3, maxOps, concurrency, null, Duration.ofMinutes(5), null, 10, queues);
  }

  @Test
  void seedDefaultsLeaveTheApiReserveAndSplitTheRestByWeight() {
    ActivityBudget budget = ActivityBudget.plan(15, BOTH, settings(null, null, Map.of()), 2);

    assertThat(budget.budget()).isEqualTo(12);
    assertThat(budget.totalSlots()).isEqualTo(12);
    assertThat(budget.slots())
        .containsEntry(TaskQueue.SYNC, 6)
        .containsEntry(TaskQueue.GENERATION, 2)
        .containsEntry(TaskQueue.BATCH, 3)
        .containsEntry(TaskQueue.IMPORT, 1);
  }

  @Test
  void workerOnlyProcessUsesTheWholePool() {
    ActivityBudget budget = ActivityBudget.plan(15, WORKER_ONLY, settings(null, null, Map.of()), 2);

    assertThat(budget.reserve()).isZero();
    assertThat(budget.totalSlots()).isEqualTo(15);
  }

  @Test
  void generationNeverGetsMoreSlotsThanCores() {
    ActivityBudget budget = ActivityBudget.plan(40, WORKER_ONLY, settings(null, null, Map.of()), 3);

    assertThat(budget.slots().get(TaskQueue.GENERATION)).isEqualTo(3);
    assertThat(budget.totalSlots()).isEqualTo(40);
  }

  @Test
  void maxConcurrentOperationsLowersTheBudget() {
    ActivityBudget budget = ActivityBudget.plan(15, BOTH, settings(8, null, Map.of()), 2);

    assertThat(budget.budget()).isEqualTo(8);
    assertThat(budget.totalSlots()).isEqualTo(8);
    assertThat(budget.slots().values()).allMatch(n -> n >= 1);
  }

  @Test
  void maxConcurrentOperationsAbovePoolStopsStartupWithTheArithmetic() {
    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, settings(20, null, Map.of()), 2))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("MAX_CONCURRENT_OPERATIONS: 20 concurrent activities would need 20 connections")
        .hasMessageContaining("DB_POOL_SIZE + DB_MAX_OVERFLOW = 15, minus STOREOPS_API_RESERVE 3 for the api role = 12");
  }

  @Test
  void celeryConcurrencyAbovePoolIsRejectedUnderItsOwnName() {
    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, settings(null, 16, Map.of()), 2))
        .hasMessageStartingWith("WORKER_CONCURRENCY: 16 concurrent activities");
  }

  @Test
  void fixedSlotsLargerThanThePoolAllowsStopStartupWithTheSum() {
    Map<TaskQueue, Integer> fixed = Map.of(TaskQueue.SYNC, 5, TaskQueue.GENERATION, 2, TaskQueue.BATCH, 5, TaskQueue.IMPORT, 5);

    assertThatThrownBy(() -> ActivityBudget.plan(15, BOTH, settings(null, null, fixed), 2))
        .hasMessageContaining("sync 5 + generation 2 + batch 5 + import 5 = 17 exceed the budget of 12");
  }

  @Test
  void poolTooSmallForOneSlotPerQueueIsRejected() {
    assertThatThrownBy(() -> ActivityBudget.plan(5, BOTH, settings(null, null, Map.of()), 2))
        .hasMessageContaining("each of the 4 queues needs at least one slot");
  }

  @Test
  void rolesParseAndRejectUnknownNames() {
    assertThat(Roles.parse("api")).isEqualTo(new Roles(true, false));
    assertThat(Roles.parse(" worker , API ")).isEqualTo(new Roles(true, true));
    assertThatThrownBy(() -> Roles.parse("api,scheduler")).hasMessageStartingWith("STOREOPS_ROLES: ");
    assertThatThrownBy(() -> Roles.parse("")).hasMessageStartingWith("STOREOPS_ROLES: ");
  }
}
