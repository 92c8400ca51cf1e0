package com.storeops.bench;

import com.storeops.common.TaskQueue;
import com.storeops.lab.BudgetLab;
import com.storeops.lab.LabRecorder.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The same flood (40 activities on each of the four queues, each holding a connection for 300 ms)
 * under the seed's old settings — pool 2 + overflow 1, concurrency 4 per queue worker, sized
 * apart — and under storeops' defaults — pool 5 + overflow 10, all 15 opened at start, a shared
 * budget of 12 checked against it — and the same for eight times as long with connections recycled
 * every 30 s, so that each is retired and replaced under load. Prints connection waits, timeouts and
 * throughput for each, and the ratios to the seed.
 */
public final class SeedSettingsBench {

  static final int PER_QUEUE = 40;
  static final long MILLIS = 300;
  /** Long enough (about 50 s) for every connection to pass DB_POOL_RECYCLE = 30 s under load. */
  static final int RECYCLE_RUN_FACTOR = 8;

  record Result(String name, double seconds, int activities, long threadsAwaitingMax, long awaitingNoneIdle, BudgetLab.Waits waits,
      long timeouts, int failures, int maxRunning) {
    double throughput() {
      return activities / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    BudgetLab.Setup old = new BudgetLab.Setup(
        2, 1, Duration.ofSeconds(30), Duration.ofSeconds(600), true, BudgetLab.Setup.settings(Map.of()), BudgetLab.Mode.FIXED_SLOTS_PER_QUEUE, 4);
    BudgetLab.Setup current = BudgetLab.Setup.shared(5, 10, true, Map.of());
    Result before = run("seed: pool 2+1, 4 per queue", old, PER_QUEUE);
    Result after = run("storeops defaults: pool 5+10, budget 12", current, PER_QUEUE);
    Result recycled = run("same, recycle 30 s, " + RECYCLE_RUN_FACTOR + " × the flood",
        current.withRecycle(Duration.ofSeconds(30)), PER_QUEUE * RECYCLE_RUN_FACTOR);

    System.out.println();
    System.out.println("== Seed settings vs storeops defaults (bench/SeedSettingsBench) ==");
    System.out.printf("flood: %d activities (%d per queue), each holding a connection for %d ms; storeops opens"
        + " its whole pool at start%n", PER_QUEUE * 4, PER_QUEUE, MILLIS);
    System.out.printf("%-42s %9s %11s %9s %9s %9s %12s %9s %8s%n",
        "settings", "seconds", "activities/s", "max run", "awaiting", "(Hikari)", "borrow tot s", "max s", "timeouts");
    for (Result r : List.of(before, after, recycled)) {
      System.out.printf("%-42s %9.1f %11.1f %9d %9d %9d %12.2f %9.3f %8d%n",
          r.name, r.seconds, r.throughput(), r.maxRunning, r.awaitingNoneIdle, r.threadsAwaitingMax, r.waits.totalSeconds(),
          r.waits.maxSeconds(), r.timeouts);
    }
    System.out.println("awaiting: most threads awaiting a connection while none was idle (1 ms samples); (Hikari): its"
        + " own count, which includes borrowers scanning a pool that has a free connection; borrow: time inside"
        + " getConnection, scheduling delays of this machine included");
    System.out.printf("throughput ratio (storeops / seed): %.1f ×; time in getConnection ratio (seed / storeops): %s%n",
        after.throughput() / before.throughput(),
        after.waits.totalSeconds() == 0 ? "∞ (storeops waited 0 s)"
            : String.format("%.0f ×", before.waits.totalSeconds() / after.waits.totalSeconds()));
  }

  private static Result run(String name, BudgetLab.Setup setup, int perQueue) throws Exception {
    try (BudgetLab lab = BudgetLab.start(setup)) {
      List<CompletableFuture<Integer>> floods = new ArrayList<>();
      for (TaskQueue q : TaskQueue.values()) {
        floods.add(lab.flood(q, perQueue, MILLIS, true));
      }
      CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
      List<Completion> done = lab.recorder().completions();
      long start = done.stream().mapToLong(Completion::startedAtMillis).min().orElseThrow();
      long end = done.stream().mapToLong(Completion::finishedAtMillis).max().orElseThrow();
      return new Result(name, (end - start) / 1000.0, done.size(), lab.maxThreadsAwaitingConnection(), lab.maxAwaitingWithNoneIdle(),
          lab.connectionWaits(), lab.connectionTimeouts(), lab.recorder().failures(), lab.recorder().maxRunning());
    }
  }
}
