package com.storeops;

import static com.storeops.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

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
 * on all four queues run at least 10 000 activities, counted from the Temporal histories. With
 * nothing running, after the warm-up rounds and at the end (the median of the last three rounds of
 * each), the storeops process's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info})
 * and its live threads must agree within ±10 %.
 */
class SoakIT {

  static final int ROUNDS = 40;
  static final int WARM_ROUNDS = 10;
  static final String ICONS = "{\"all\": true, \"sizes\": [\"pico\"], \"force\": true}";
  static final String SYNC = "{\"shop\": \"fake.myshopify.com\", \"mode\": \"incremental\"}";

  @Test
  void tenThousandShortActivitiesLeaveHeapAndThreadsFlat() throws Exception {
    try (FaultHarness harness = new FaultHarness("soak"); FakeShopify shop = new FakeShopify(1e9, 1e9)) {
      shop.addProducts(20);
      Catalog.writeCsv(harness.dir.resolve("catalog.csv"), "soak-", 200, 1);
      // Four of each kind at once, on rows of their own: the soak is about the worker, not about lock waits.
      List<Path> tiny = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
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
        for (int i = 0; i < 4; i++) {
          ids.add(harness.upload("/api/operations/import", tiny.get(i)).json().get("id").asString());
          ids.add(harness.post("/api/operations/batch-update", "{\"filter\": {\"handles\": [\"soak-" + i + "\", \"soak-" + (i + 4)
              + "\"]}, \"changes\": {\"inventory\": {\"add\": 1}}}").json().get("id").asString());
        }
        awaitCompleted(harness, ids);
        // Three samples at each point, the median kept: the pool's idle connections and Tomcat's
        // threads come and go by a few per cent between rounds without anything leaking.
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
      long endThreads = median(end, Sample::threads);

      Map<String, Long> activities = completedActivitiesByQueue(harness.histories());
      long total = activities.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("SoakIT: %d activities %s in %.0f s; heap after full GC (median of 3): warm %.1f MB, end %.1f MB (%+.1f %%);"
              + " live threads: warm %d, end %d (%+.1f %%); samples warm %s, end %s%n", total, activities, seconds, warmHeap / 1e6,
          endHeap / 1e6, change(warmHeap, endHeap), warmThreads, endThreads, change(warmThreads, endThreads), warm, end);

      assertThat(activities).as("completed activities per queue").containsOnlyKeys("sync", "generation", "batch", "import")
          .allSatisfy((queue, count) -> assertThat(count).isPositive());
      assertThat(total).isGreaterThanOrEqualTo(10_000);
      assertThat(change(warmHeap, endHeap)).as("heap after GC, %% change from the warm point").isBetween(-10.0, 10.0);
      assertThat(change(warmThreads, endThreads)).as("live threads, %% change from the warm point").isBetween(-10.0, 10.0);
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
    long threads = harness.get("/actuator/metrics/jvm.threads.live").json().at("/measurements/0/value").asLong();
    return new Sample(Long.parseLong(used.group(1)) * 1024, threads);
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
