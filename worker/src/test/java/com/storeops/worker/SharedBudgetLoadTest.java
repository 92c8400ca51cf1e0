package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.TaskQueue;
import com.storeops.lab.BudgetLab;
import com.storeops.lab.LabRecorder.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shared budget under real load: four Temporal workers on the embedded server, activities that
 * hold real PostgreSQL connections, the pool sampled every millisecond for the whole run.
 */
class SharedBudgetLoadTest {

  @Test
  void floodingAllFourQueuesNeverRunsMoreThanTheBudgetNorWaitsForAConnection() throws Exception {
    // pool 10, api reserve 3 → budget 7. A fixed-size pool (no overflow): Hikari opens overflow
    // connections on first demand, and a borrower waiting for one to be *created* counts as
    // awaiting too; this test pins the other kind, waiting for one to be *returned*.
    try (BudgetLab lab = BudgetLab.start(BudgetLab.Setup.shared(10, 0, true, Map.of()))) {
      List<CompletableFuture<Integer>> floods = new ArrayList<>();
      for (TaskQueue q : TaskQueue.values()) {
        floods.add(lab.flood(q, 25, 150, true));
      }
      CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

      assertThat(lab.recorder().completions()).hasSize(100);
      assertThat(lab.recorder().failures()).isZero();
      assertThat(lab.budgetSize()).isEqualTo(7);
      assertThat(lab.recorder().maxRunning()).as("activities running at once").isBetween(2, 7);
      assertThat(lab.maxBudgetRunning()).isLessThanOrEqualTo(7);
      assertThat(lab.maxActiveConnections()).isLessThanOrEqualTo(7);
      assertThat(lab.samples()).as("pool samples taken").isGreaterThan(500);
      assertThat(lab.maxSustainedThreadsAwaiting()).as("threads waiting for a connection (see BudgetLab)").isZero();
      assertThat(lab.connectionWaits().maxSeconds()).as("longest connection acquire, s").isLessThan(0.010);
      assertThat(lab.connectionTimeouts()).isZero();
      lab.holds().assertNoIdleHoldLongerThan(Duration.ofMillis(50));
    }
  }

  @Test
  void oneQueueAloneUsesEveryPermitButTheOneSyncKeepsPolling() throws Exception {
    // worker-only fixed pool of 9, one kept for health checks → budget 8. At first the sync,
    // generation and import pollers hold one permit each; once generation's and import's polls come
    // back empty (5 s) they step back, and batch runs on all but sync's permit. The flood lasts
    // about 13 s, so the step-back has time to show even when a poll comes back late.
    try (BudgetLab lab = BudgetLab.start(BudgetLab.Setup.shared(9, 0, false, Map.of()))) {
      lab.flood(TaskQueue.BATCH, 100, 1000, true).get(2, TimeUnit.MINUTES);

      assertThat(lab.budgetSize()).isEqualTo(8);
      assertThat(lab.recorder().maxRunning()).isEqualTo(8 - 1);
      assertThat(lab.maxSustainedThreadsAwaiting()).isZero();
    }
  }

  @Test
  void saturatedQueuesCompleteInProportionToTheirWeights() throws Exception {
    // budget 10, generation uncapped so that only the weights (4:3:2:1) decide
    try (BudgetLab lab = BudgetLab.start(BudgetLab.Setup.shared(3, 8, false, Map.of(TaskQueue.GENERATION, 10)))) {
      assertThat(lab.budgetSize()).isEqualTo(10);
      long t0 = System.currentTimeMillis();
      List<CompletableFuture<Integer>> floods = new ArrayList<>();
      floods.add(lab.flood(TaskQueue.SYNC, 400, 100, false));
      floods.add(lab.flood(TaskQueue.GENERATION, 300, 100, false));
      floods.add(lab.flood(TaskQueue.BATCH, 200, 100, false));
      floods.add(lab.flood(TaskQueue.IMPORT, 200, 100, false));
      CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

      // A window in which every queue still had a backlog: after warm-up, before the first drains.
      Map<String, Long> done = lab.recorder().completions().stream()
          .filter(c -> c.finishedAtMillis() >= t0 + 1500 && c.finishedAtMillis() < t0 + 6500)
          .collect(Collectors.groupingBy(Completion::queue, Collectors.counting()));
      long total = done.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("completions per queue in the window: %s of %d%n", done, total);
      assertThat(total).isGreaterThan(200);
      for (TaskQueue q : TaskQueue.values()) {
        double share = (double) done.getOrDefault(q.queueName(), 0L) / total;
        double expected = q.defaultWeight() / 10.0;
        assertThat(share).as("%s share of completions %s", q.queueName(), done).isBetween(expected * 0.85, expected * 1.15);
      }
    }
  }

  @Test
  void syncStartsWithin100MillisecondsWhileBatchAndImportSaturateTheBudget() throws Exception {
    // budget 6: batch and import keep every permit busy with 5 s activities for ~15 s
    try (BudgetLab lab = BudgetLab.start(BudgetLab.Setup.shared(7, 0, false, Map.of()))) {
      lab.flood(TaskQueue.BATCH, 8, 5000, true);
      lab.flood(TaskQueue.IMPORT, 8, 5000, true);
      awaitSaturation(lab);

      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        int before = syncCompletions(lab);
        lab.flood(TaskQueue.SYNC, 1, 20, true).get(30, TimeUnit.SECONDS);
        Completion c = lab.recorder().completions().stream()
            .filter(x -> x.queue().equals("sync")).skip(before).findFirst().orElseThrow();
        latencies.add(c.scheduleToStartMillis());
      }

      latencies.sort(Long::compare);
      long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
      System.out.printf("sync schedule-to-start under saturation, ms: %s (p99 %d)%n", latencies, p99);
      assertThat(lab.recorder().maxRunning()).as("budget saturated").isGreaterThanOrEqualTo(4);
      assertThat(p99).as("sync schedule-to-start p99, all: %s", latencies).isLessThan(100);
    }
  }

  private static int syncCompletions(BudgetLab lab) {
    return (int) lab.recorder().completions().stream().filter(c -> c.queue().equals("sync")).count();
  }

  /** Waits until batch and import hold all permits but those of the idle sync and generation pollers. */
  private static void awaitSaturation(BudgetLab lab) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (lab.budget().running() < lab.budgetSize() - 2) {
      assertThat(System.currentTimeMillis()).as("budget saturated in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
