package com.storeops.bench;

import com.storeops.common.TaskQueue;
import com.storeops.lab.BudgetLab;
import com.storeops.lab.LabRecorder.Completion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Work conservation of the shared budget: a backlog of 80 activities of 5 s on batch and import,
 * with light sync traffic (a 50 ms activity every 500 ms), under the default budget (pool 5 + 10,
 * API reserve 3 → 12 permits). Ideal = total activity time ÷ budget. Prints the ratio.
 */
public final class WorkConservationBench {

  static final int PER_QUEUE = 40;
  static final long MILLIS = 5_000;

  public static void main(String[] args) throws Exception {
    try (BudgetLab lab = BudgetLab.start(BudgetLab.Setup.shared(5, 10, true, Map.of()))) {
      long t0 = System.currentTimeMillis();
      CompletableFuture<Integer> batch = lab.flood(TaskQueue.BATCH, PER_QUEUE, MILLIS, true);
      CompletableFuture<Integer> imports = lab.flood(TaskQueue.IMPORT, PER_QUEUE, MILLIS, true);
      CompletableFuture<Void> backlog = CompletableFuture.allOf(batch, imports);
      int probes = 0;
      while (!backlog.isDone()) {
        lab.flood(TaskQueue.SYNC, 1, 50, true);
        probes++;
        Thread.sleep(500);
      }
      backlog.get(10, TimeUnit.MINUTES);

      List<Completion> work = lab.recorder().completions().stream().filter(c -> !c.queue().equals("sync")).toList();
      long start = work.stream().mapToLong(Completion::startedAtMillis).min().orElseThrow();
      long end = work.stream().mapToLong(Completion::finishedAtMillis).max().orElseThrow();
      double makespan = (end - start) / 1000.0;
      double ideal = 2.0 * PER_QUEUE * MILLIS / 1000.0 / lab.budgetSize();
      Stats sync = Stats.of(lab.recorder().completions().stream()
          .filter(c -> c.queue().equals("sync")).map(Completion::scheduleToStartMillis).toList());

      System.out.println();
      System.out.println("== Work conservation (bench/WorkConservationBench) ==");
      System.out.printf("budget %d permits; backlog %d × %.1f s on batch + import; %d sync probes of 50 ms%n",
          lab.budgetSize(), 2 * PER_QUEUE, MILLIS / 1000.0, probes);
      System.out.printf("makespan %.1f s, ideal %.1f s (activity time ÷ budget), ratio %.2f × (goal ≤ 1.25 ×)%n",
          makespan, ideal, makespan / ideal);
      System.out.printf("most activities running at once: %d; sync schedule-to-start: %s%n",
          lab.recorder().maxRunning(), sync);
      System.out.printf("threads ever awaiting a connection: %d; connection timeouts: %d; failures: %d%n",
          lab.maxThreadsAwaitingConnection(), lab.connectionTimeouts(), lab.recorder().failures());
    }
  }
}
