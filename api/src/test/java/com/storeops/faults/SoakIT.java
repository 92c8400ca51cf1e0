package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Catalog;
import com.storeops.shopify.FakeShopify;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A long-running worker must not leak per activity or per operation — the Celery habit of recycling
 * children (CELERY_WORKER_MAX_TASKS_PER_CHILD) has no counterpart here. Rounds of short operations
 * on all four queues run at least 3 000 activities (about 260 a round), counted from the workflow
 * histories on Temporal's dev server — five rounds to warm up, seven more to leak in. With
 * nothing running, after the warm-up rounds and at the end (the median of the last three rounds of
 * each), the storeops process's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info})
 * must agree within ±10 %; its live threads must come back within ±10 % of the warm point's once
 * idle pool threads have expired (Temporal keeps them a minute).
 */
class SoakIT {

  static final int ROUNDS = 12;
  static final int WARM_ROUNDS = 5;
  static final int ACTIVITIES = 3_000;
  // Imports and batch updates running side by side each round: with icons rendered four products to
  // an activity, these three-activity operations are what reaches many activities fastest.
  static final int SLOTS = 24;
  static final String ICONS = "{\"all\": true, \"sizes\": [\"pico\"], \"force\": true}";
  static final String SYNC = "{\"shop\": \"fake.myshopify.com\", \"mode\": \"incremental\"}";

  @Test
  void thousandsOfShortActivitiesLeaveHeapAndThreadsFlat() throws Exception {
    try (FaultHarness harness = new FaultHarness("soak"); FakeShopify shop = new FakeShopify(1e9, 1e9)) {
      shop.addProducts(20);
      Catalog.writeCsv(harness.dir.resolve("catalog.csv"), "soak-", 200, 1);
      // Each import and batch update on rows of its own: the soak is about the worker, not about lock waits.
      List<Path> tiny = new ArrayList<>();
      for (int i = 0; i < SLOTS; i++) {
        tiny.add(harness.dir.resolve("tiny" + i + ".csv"));
        Catalog.writeCsv(tiny.get(i), "tiny" + i + "-", 5, 2);
      }
      harness.startStoreops(Map.of("SHOPIFY_SHOP", "fake.myshopify.com", "SHOPIFY_ACCESS_TOKEN", FakeShopify.TOKEN,
          "SHOPIFY_BASE_URL", shop.baseUrl().toString(), "SHOPIFY_SYNC_INTERVAL", "0s"));
      awaitCompleted(harness, List.of(harness.upload("/api/operations/import", harness.dir.resolve("catalog.csv")).json().get("id").asString()));

      long started = System.nanoTime();
      List<Sample> warm = new ArrayList<>();
      List<Sample> end = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        List<String> ids = new ArrayList<>();
        ids.add(harness.post("/api/operations/icon-generation", ICONS).json().get("id").asString());
        ids.add(harness.post("/api/operations/shopify-sync", SYNC).json().get("id").asString());
        for (int i = 0; i < SLOTS; i++) {
          ids.add(harness.upload("/api/operations/import", tiny.get(i)).json().get("id").asString());
          ids.add(harness.post("/api/operations/batch-update", "{\"filter\": {\"handles\": [\"soak-" + i + "\", \"soak-" + (i + 100)
              + "\"]}, \"changes\": {\"inventory\": {\"add\": 1}}}").json().get("id").asString());
        }
        awaitCompleted(harness, ids);
        // Three samples at each point, the median kept: the pool's idle connections come and go by a
        // few per cent between rounds without anything leaking.
        if (round > WARM_ROUNDS - 3 && round <= WARM_ROUNDS) {
          warm.add(sample(harness));
        } else if (round > ROUNDS - 3) {
          end.add(sample(harness));
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long warmHeap = median(warm, Sample::heap);
      long endHeap = median(end, Sample::heap);
      long warmThreads = median(warm, Sample::threads);
      // Temporal keeps idle workflow threads for a minute (and its executors theirs), so right after
      // a round the count holds that minute's peak. A leak never comes back; a pool does, in time.
      long settleStart = System.nanoTime();
      long endThreads = FaultHarness.await("live threads within 10 % of the warm point's " + warmThreads, Duration.ofSeconds(75),
          () -> threads(harness), t -> Math.abs(change(warmThreads, t)) <= 10.0);
      double settled = (System.nanoTime() - settleStart) / 1e9;

      Map<String, Long> activities = completedActivitiesByQueue(harness.histories());
      long total = activities.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("SoakIT: %d activities %s in %.0f s; heap after full GC (median of 3): warm %.1f MB, end %.1f MB (%+.1f %%);"
              + " live threads: warm %d, end %d right after the last round, %d (%+.1f %%) %.0f s later; samples warm %s, end %s%n",
          total, activities, seconds, warmHeap / 1e6, endHeap / 1e6, change(warmHeap, endHeap), warmThreads,
          median(end, Sample::threads), endThreads, change(warmThreads, endThreads), settled, warm, end);

      assertThat(activities).as("completed activities per queue").containsOnlyKeys("sync", "generation", "batch", "import")
          .allSatisfy((queue, count) -> assertThat(count).isPositive());
      assertThat(total).isGreaterThanOrEqualTo(ACTIVITIES);
      assertThat(change(warmHeap, endHeap)).as("heap after GC, %% change from the warm point").isBetween(-10.0, 10.0);
    }
  }

  private static void awaitCompleted(FaultHarness harness, List<String> ids) {
    for (String id : ids) {
      assertThat(status(harness.awaitEnded(id, Duration.ofSeconds(120)))).as("operation %s", id).isEqualTo("COMPLETED");
    }
  }

  record Sample(long heap, long threads) {}

  /** Heap in use right after a full GC, and live threads, of the storeops process. */
  private static Sample sample(FaultHarness harness) throws IOException, InterruptedException {
    jcmd(harness.pid(), "GC.run");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd(harness.pid(), "GC.heap_info"));
    assertThat(used.find()).as("GC.heap_info reports the heap in use").isTrue();
    return new Sample(Long.parseLong(used.group(1)) * 1024, threads(harness));
  }

  private static long threads(FaultHarness harness) {
    return harness.get("/actuator/metrics/jvm.threads.live").json().at("/measurements/0/value").asLong();
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), command)
        .redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS) && jcmd.exitValue() == 0).as("jcmd %s: %s", command, out).isTrue();
    return out;
  }

  /** ActivityTaskCompleted events, by the task queue their activity was scheduled on. */
  private static Map<String, Long> completedActivitiesByQueue(List<FaultHarness.Run> runs) {
    Map<String, Long> byQueue = new TreeMap<>();
    for (FaultHarness.Run run : runs) {
      Map<Long, String> queueOfScheduled = new HashMap<>();
      for (HistoryEvent e : run.history().getEventsList()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          queueOfScheduled.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getTaskQueue().getName());
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          byQueue.merge(queueOfScheduled.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()), 1L, Long::sum);
        }
      }
    }
    return byQueue;
  }

  private static long median(List<Sample> samples, ToLongFunction<Sample> value) {
    return samples.stream().mapToLong(value).sorted().skip(samples.size() / 2).findFirst().orElseThrow();
  }

  private static double change(long from, long to) {
    return (to - from) * 100.0 / from;
  }
}
