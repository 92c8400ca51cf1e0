package com.storeops.bench;

import com.storeops.shopify.FakeShopify;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API under load while every queue is saturated, through the packaged storeops: Shopify full
 * syncs (fake shop), CSV imports, batch updates and icon generation queued beyond the budget, then
 * an open-loop load generator (Java HttpClient, requests sent at a fixed rate whatever the answers,
 * latency counted from each request's scheduled time, so a stall is not hidden by sending less)
 * drives {@code GET /api/operations/{id}} and {@code POST /api/operations/icon-generation} starts.
 * Prints throughput, p50/p99/max latency, and — sampled from /api/health/pool meanwhile — threads
 * awaiting a connection in the pool (activities; must stay 0) and API borrowers waiting at their
 * reserve.
 */
public final class ApiLoadBench {

  static final int PRODUCTS = 30_000;
  static final int SHOP_PRODUCTS = 20_000;
  static final int RATE = Integer.getInteger("rate", 1000);
  static final int SECONDS = Integer.getInteger("seconds", 30);
  /** One request in this many is a POST start. */
  static final int POST_EVERY = 20;
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** A request unanswered this long counts as an error, not as a latency. */
  static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("storeops-api-load-bench");
    Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
    Path csv = dir.resolve("products.csv");
    ImportBench.generate(csv, "load-");
    try (FakeShopify shop = new FakeShopify(1e9, 1e9)) {
      shop.addProducts(SHOP_PRODUCTS);
      Map<String, String> env = Map.of(
          "SHOPIFY_SHOP", "fake.myshopify.com",
          "SHOPIFY_ACCESS_TOKEN", FakeShopify.TOKEN,
          "SHOPIFY_BASE_URL", shop.baseUrl().toString(),
          "SHOPIFY_SYNC_INTERVAL", "0s",
          "SHOPIFY_BULK_POLL_INTERVAL", "1s");
      try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, env)) {
        long firstProduct = seed(storeops);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2; i++) {
          ids.add(storeops.upload("/api/operations/import", csv));
        }
        for (int i = 0; i < 3; i++) {
          ids.add(storeops.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}"));
          ids.add(storeops.post("/api/operations/batch-update",
              "{\"filter\": {\"vendor\": \"bench\"}, \"changes\": {\"price\": {\"percent\": 1}}}"));
        }
        for (int i = 0; i < 2; i++) {
          ids.add(storeops.post("/api/operations/icon-generation", "{\"all\": true, \"force\": true}"));
        }
        awaitEveryQueueRunning(storeops);

        Sampler sampler = new Sampler(storeops);
        sampler.start();
        Load load = run(storeops, ids, firstProduct);
        sampler.interrupt();
        sampler.join();
        JsonNode end = JSON.readTree(storeops.get("/api/health/pool"));

        System.out.println();
        System.out.println("== API under load, every queue saturated (bench/ApiLoadBench) ==");
        System.out.printf("saturating: 2 imports of %d products, 3 full Shopify syncs of %d, 3 batch updates of %d products,"
            + " 2 icon runs over every product%n", ImportBench.PRODUCTS, SHOP_PRODUCTS, PRODUCTS);
        System.out.printf("load: open loop, %d requests/s scheduled for %d s (1 in %d a POST icon-generation start of one"
            + " product, the rest GET /api/operations/{id}); latency from each request's scheduled time%n",
            RATE, SECONDS, POST_EVERY);
        System.out.printf("%-8s %8s %10s %8s %8s %8s %8s%n", "requests", "answered", "per second", "p50 ms", "p99 ms", "max ms", "errors");
        System.out.printf("sent %d; answered with 2xx below, errors = refused, failed or unanswered in %d s%n",
            load.sent(), REQUEST_TIMEOUT.toSeconds());
        load.print("all", load.all());
        load.print("GET", load.gets);
        load.print("POST", load.posts);
        System.out.printf("activities running (budget %d): mean %.1f over %d samples; queues busy (share of samples running ≥ 1):"
            + " %s%n", end.at("/budget/activities").asInt(), sampler.meanRunning(), sampler.samples.get(), sampler.busy());
        System.out.printf("pool %d connections, %d open; threads awaiting a connection in the pool (activities): max %d"
            + " (Hikari's count, scans included), max %d while none was idle; pool timeouts %d%n",
            end.at("/pool/max").asInt(), end.at("/pool/total").asInt(), sampler.maxAwaiting.get(),
            sampler.maxAwaitingNoneIdle.get(), end.at("/pool/connectionTimeouts").asLong());
        System.out.printf("API reserve %d connections: most held %d, most waiting for one %d, timeouts %d%n",
            end.at("/reserve/connections").asInt(), sampler.maxReserveActive.get(), sampler.maxReserveAwaiting.get(),
            end.at("/reserve/timeouts").asLong());
        System.out.printf("goal: ≥ 1000 requests/s answered with p99 < 50 ms, 0 activities awaiting a connection%n");
      }
    }
  }

  /** Products for the batch updates and icon runs; answers the first product's id. */
  private static long seed(PackagedStoreops storeops) throws Exception {
    Properties user = new Properties();
    user.setProperty("user", "postgres");
    try (Connection c = new org.postgresql.Driver().connect(storeops.jdbcUrl(), user); Statement s = c.createStatement()) {
      s.execute("insert into products (handle, title, vendor) select 'bench-' || i, 'P' || i, 'bench'"
          + " from generate_series(1, " + PRODUCTS + ") i");
      s.execute("insert into product_variants (product_id, sku, position, price) select p.id, p.handle || '-' || k, k, 10.00 * k"
          + " from products p, generate_series(1, 2) k where p.vendor = 'bench'");
      s.execute("vacuum analyze products, product_variants");
      try (var rs = s.executeQuery("select min(id) from products where vendor = 'bench'")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void awaitEveryQueueRunning(PackagedStoreops storeops) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      JsonNode pool = JSON.readTree(storeops.get("/api/health/pool"));
      boolean all = true;
      for (JsonNode q : pool.get("queues")) {
        all &= q.get("running").asInt() > 0;
      }
      if (all) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("not every queue got running within 180 s");
  }

  record Load(List<Long> gets, List<Long> posts, AtomicInteger errors, long startNanos, AtomicLong lastNanos, int sent) {
    List<Long> all() {
      List<Long> all = new ArrayList<>(gets);
      all.addAll(posts);
      return all;
    }

    void print(String name, List<Long> latencies) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      double seconds = (lastNanos.get() - startNanos) / 1e9;
      System.out.printf("%-8s %8d %10.0f %8.1f %8.1f %8.1f %8s%n", name, sorted.size(), sorted.size() / seconds,
          pct(sorted, 0.50), pct(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
          name.equals("all") ? String.valueOf(errors.get()) : "");
    }

    static double pct(List<Long> sorted, double p) {
      return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
  }

  private static Load run(PackagedStoreops storeops, List<String> ids, long firstProduct) throws Exception {
    ExecutorService callbacks = Executors.newFixedThreadPool(4);
    HttpClient client = HttpClient.newBuilder().executor(callbacks).build();
    ConcurrentLinkedQueue<Long> gets = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> posts = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong last = new AtomicLong();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
    long start = System.nanoTime();
    int total = RATE * SECONDS;
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      boolean post = i % POST_EVERY == 0;
      HttpRequest request = post
          ? HttpRequest.newBuilder(storeops.uri("/api/operations/icon-generation"))
              .header("Content-Type", "application/json")
              .timeout(REQUEST_TIMEOUT)
              .POST(HttpRequest.BodyPublishers.ofString("{\"productIds\": [" + (firstProduct + i % PRODUCTS) + "], \"force\": true}"))
              .build()
          : HttpRequest.newBuilder(storeops.uri("/api/operations/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))))
              .timeout(REQUEST_TIMEOUT).build();
      ConcurrentLinkedQueue<Long> into = post ? posts : gets;
      pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
        long now = System.nanoTime();
        last.accumulateAndGet(now, Math::max);
        if (failure != null || response.statusCode() >= 300) {
          errors.incrementAndGet();
          return;
        }
        into.add(now - due);
        if (post) {
          ids.add(response.body().replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]*)\".*", "$1"));
        }
      }));
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(1, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      // the unanswered are missing from the counts below
    }
    callbacks.shutdown();
    return new Load(new ArrayList<>(gets), new ArrayList<>(posts), errors, start, last, total);
  }

  /** Samples /api/health/pool every 100 ms on a client of its own. */
  private static final class Sampler extends Thread {
    final PackagedStoreops storeops;
    final AtomicInteger maxAwaiting = new AtomicInteger();
    final AtomicInteger maxAwaitingNoneIdle = new AtomicInteger();
    final AtomicInteger maxReserveActive = new AtomicInteger();
    final AtomicInteger maxReserveAwaiting = new AtomicInteger();
    final AtomicInteger samples = new AtomicInteger();
    final AtomicLong running = new AtomicLong();
    final Map<String, AtomicInteger> busy = new java.util.TreeMap<>();

    Sampler(PackagedStoreops storeops) {
      super("pool-sampler");
      this.storeops = storeops;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        try {
          JsonNode health = JSON.readTree(storeops.get("/api/health/pool"));
          int awaiting = health.at("/pool/threadsAwaitingConnection").asInt();
          maxAwaiting.accumulateAndGet(awaiting, Math::max);
          if (health.at("/pool/idle").asInt() == 0) {
            maxAwaitingNoneIdle.accumulateAndGet(awaiting, Math::max);
          }
          maxReserveActive.accumulateAndGet(health.at("/reserve/active").asInt(), Math::max);
          maxReserveAwaiting.accumulateAndGet(health.at("/reserve/awaiting").asInt(), Math::max);
          running.addAndGet(health.at("/budget/running").asInt());
          synchronized (busy) {
            for (JsonNode q : health.get("queues")) {
              AtomicInteger n = busy.computeIfAbsent(q.get("queue").asText(), k -> new AtomicInteger());
              if (q.get("running").asInt() > 0) {
                n.incrementAndGet();
              }
            }
          }
          samples.incrementAndGet();
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a sample lost to the load is a sample fewer
        }
      }
    }

    double meanRunning() {
      return samples.get() == 0 ? 0 : (double) running.get() / samples.get();
    }

    String busy() {
      StringBuilder s = new StringBuilder();
      synchronized (busy) {
        busy.forEach((q, n) -> s.append(q).append(' ').append(String.format("%.0f %%", 100.0 * n.get() / Math.max(1, samples.get()))).append(", "));
      }
      return s.length() == 0 ? "-" : s.substring(0, s.length() - 2);
    }
  }
}
