package com.storeops.bench;

import com.storeops.shopify.FakeShopify;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API under load while every queue is saturated, through the packaged storeops: Shopify full
 * syncs (fake shop), CSV imports, batch updates and icon generation queued beyond the budget, then
 * an open-loop load generator ({@link OpenLoopLoad}: requests due at a fixed rate whatever the
 * answers, latency counted from each request's due time, so a stall is not hidden by sending less)
 * drives {@code GET /api/operations/{id}} and {@code POST /api/operations/icon-generation} starts.
 * Prints throughput, p50/p99/max latency, and — sampled from /api/health/pool meanwhile — threads
 * awaiting a connection in the pool (activities; must stay 0) and API borrowers waiting at their
 * reserve; and the CPU each process used meanwhile. {@code -Dsaturate=false} measures the same load on
 * an idle storeops: what this machine allows at all.
 */
public final class ApiLoadBench {

  static final int PRODUCTS = 30_000;
  static final int SHOP_PRODUCTS = 20_000;
  /** Requests per second; -Drate=200,500,1000 measures each in turn on the same storeops. */
  static final List<Integer> RATES = java.util.Arrays.stream(System.getProperty("rate", "1000").split(","))
      .map(String::trim).map(Integer::valueOf).toList();
  static final int SECONDS = Integer.getInteger("seconds", 30);
  /** Seconds of the same load before the measured window, answers discarded: the JIT compiles the request path. */
  static final int WARMUP = Integer.getInteger("warmup", 20);
  /** false: the same load on an idle storeops, the baseline of what this machine allows. */
  static final boolean SATURATE = Boolean.parseBoolean(System.getProperty("saturate", "true"));
  /**
   * JVM options for the storeops process, space-separated: by default those that let activity
   * threads run at the lowest Linux priority (ActivityScopeInterceptor); -Djvm= for none.
   */
  static final String DEFAULT_JVM_OPTIONS = "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19";
  static final List<String> JVM_OPTIONS = System.getProperty("jvm", DEFAULT_JVM_OPTIONS).isBlank()
      ? List.of() : List.of(System.getProperty("jvm", DEFAULT_JVM_OPTIONS).trim().split("\\s+"));
  /** One request in this many is a POST start; 0: GETs only (what the reads cost without Temporal's starts). */
  static final int POST_EVERY = Integer.getInteger("postEvery", 20);
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** Keep-alive connections the load generator sends on (as a reverse proxy in front would). */
  static final int CONNECTIONS = Integer.getInteger("connections", 64);
  /** How long the generator waits for the last answers after the last request was due. */
  static final int DRAIN_SECONDS = 30;
  /** A request answered later than this counts as an error, not as a latency. */
  static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-api-load-bench", dir -> {
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      Path csv = dir.resolve("products.csv");
      ImportBench.generate(csv, "load-");
      try (FakeShopify shop = new FakeShopify(1e9, 1e9)) {
        shop.addProducts(SHOP_PRODUCTS);
        Map<String, String> env = ShopifySyncBench.storeopsAgainst(shop);
        try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, env, JVM_OPTIONS)) {
          long firstProduct = seed(storeops);
          List<String> ids = Collections.synchronizedList(new ArrayList<>());
          if (SATURATE) {
            saturate(storeops, csv, ids);
          } else {
            for (int i = 0; i < 10; i++) {
              ids.add(storeops.post("/api/operations/icon-generation", "{\"productIds\": [" + (firstProduct + i) + "]}"));
            }
            for (String id : List.copyOf(ids)) {
              storeops.awaitFinal(id);
            }
          }

          for (int rate : RATES) {
            measure(storeops, ids, firstProduct, rate);
          }
          System.out.printf("goal: ≥ 1000 requests/s answered with p99 < 50 ms, 0 activities awaiting a connection%n");
          System.out.printf("machine: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        }
      }
    });
  }

  /** One rate: a warm-up, then the measured window, printed. */
  private static void measure(PackagedStoreops storeops, List<String> ids, long firstProduct, int rate) throws Exception {
    if (WARMUP > 0) {
      run(storeops, ids, firstProduct, rate, WARMUP);
    }
    JsonNode begin = JSON.readTree(storeops.get("/api/health/pool"));
    Cpu cpu = Cpu.start(storeops);
    Sampler sampler = new Sampler(storeops);
    sampler.start();
    Load load = run(storeops, ids, firstProduct, rate, SECONDS);
    sampler.interrupt();
    sampler.join();
    cpu.stop();
    JsonNode end = JSON.readTree(storeops.get("/api/health/pool"));

    System.out.println();
    System.out.println("== API under load, " + (SATURATE ? "every queue saturated" : "queues idle (baseline, -Dsaturate=false)")
        + " (bench/ApiLoadBench) ==");
    if (SATURATE) {
      System.out.printf("saturating: 2 imports of %d products, 3 full Shopify syncs of %d, 3 batch updates of %d products,"
          + " 2 icon runs over every product%n", ImportBench.PRODUCTS, SHOP_PRODUCTS, PRODUCTS);
    } else {
      System.out.println("saturate=false: nothing queued but the load's own icon starts");
    }
    System.out.printf("load: open loop, %d requests/s scheduled for %d s after %d s of warm-up, on %d keep-alive connections"
        + " (%s, the rest GET /api/operations/{id}); latency from each request's scheduled time%n", rate, SECONDS, WARMUP,
        CONNECTIONS, POST_EVERY > 0 ? "1 in " + POST_EVERY + " a POST icon-generation start of one product" : "no POST starts");
    System.out.println("storeops JVM options: " + (JVM_OPTIONS.isEmpty() ? "none" : String.join(" ", JVM_OPTIONS)));
    System.out.printf("%-8s %8s %10s %8s %8s %8s %8s%n", "requests", "answered", "per second", "p50 ms", "p99 ms", "max ms", "errors");
    System.out.printf("sent %d; answered with 2xx within %d s below, errors = refused, failed, later or unanswered%n",
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
    long borrows = end.at("/reserve/borrows").asLong() - begin.at("/reserve/borrows").asLong();
    System.out.printf("API reserve in the window: %d borrows (%.2f per answered request); per borrow, mean: waited for a place"
        + " %.2f ms, held the connection %.2f ms%n", borrows, (double) borrows / Math.max(1, load.gets.size() + load.posts.size()),
        (end.at("/reserve/waitedMillis").asLong() - begin.at("/reserve/waitedMillis").asLong()) / (double) Math.max(1, borrows),
        (end.at("/reserve/heldMillis").asLong() - begin.at("/reserve/heldMillis").asLong()) / (double) Math.max(1, borrows));
    cpu.print();
    int answered = load.gets.size() + load.posts.size();
    System.out.printf("CPU ms per answered request: storeops %.2f, PostgreSQL %.2f, Temporal %.2f, load generator %.2f%n",
        1000 * cpu.app / Math.max(1, answered), 1000 * cpu.postgres / Math.max(1, answered),
        1000 * cpu.temporalCpu / Math.max(1, answered), 1000 * cpu.generator / Math.max(1, answered));
  }

  /** Every queue busy beyond the budget: imports, full syncs, batch updates, icon runs over every product. */
  private static void saturate(PackagedStoreops storeops, Path csv, List<String> ids) throws Exception {
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

    /** {@code latencies} in nanoseconds, printed in milliseconds. */
    void print(String name, List<Long> latencies) {
      Stats stats = Stats.of(latencies);
      double seconds = (lastNanos.get() - startNanos) / 1e9;
      System.out.printf("%-8s %8d %10.0f %8.1f %8.1f %8.1f %8s%n", name, stats.count(), stats.count() / seconds,
          stats.p50() / 1e6, stats.p99() / 1e6, stats.max() / 1e6, name.equals("all") ? String.valueOf(errors.get()) : "");
    }
  }

  private static Load run(PackagedStoreops storeops, List<String> ids, long firstProduct, int rate, int seconds) throws Exception {
    String host = "Host: " + storeops.uri("/").getAuthority() + "\r\n";
    OpenLoopLoad.Result result = new OpenLoopLoad(new InetSocketAddress("127.0.0.1", storeops.uri("/").getPort()), CONNECTIONS)
        .run(rate, seconds, i -> {
          if (POST_EVERY > 0 && i % POST_EVERY == 0) {
            byte[] body = ("{\"productIds\": [" + (firstProduct + i % PRODUCTS) + "], \"force\": true}").getBytes(StandardCharsets.UTF_8);
            return new OpenLoopLoad.Request(("POST /api/operations/icon-generation HTTP/1.1\r\n" + host
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), true);
          }
          return new OpenLoopLoad.Request(("GET /api/operations/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))
              + " HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.UTF_8), false);
        }, DRAIN_SECONDS);
    List<Long> gets = new ArrayList<>();
    List<Long> posts = new ArrayList<>();
    AtomicInteger errors = new AtomicInteger(result.unanswered());
    AtomicLong last = new AtomicLong(result.startNanos());
    for (OpenLoopLoad.Answer answer : result.answers()) {
      if (answer.status() < 200 || answer.status() >= 300 || answer.latencyNanos() > REQUEST_TIMEOUT.toNanos()) {
        errors.incrementAndGet();
        continue;
      }
      last.accumulateAndGet(answer.dueNanos() + answer.latencyNanos(), Math::max);
      (answer.post() ? posts : gets).add(answer.latencyNanos());
      if (answer.post()) {
        ids.add(answer.body().replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]*)\".*", "$1"));
      }
    }
    return new Load(gets, posts, errors, result.startNanos(), last, result.sent());
  }

  /**
   * CPU seconds over the measured window, from /proc: the storeops JVM (by kind of thread too),
   * its PostgreSQL, the Temporal dev server, this load generator's JVM, and the machine's busy time
   * (what none of those used is other work on the machine).
   */
  private static final class Cpu {
    final PackagedStoreops storeops;
    final List<Long> temporal;
    final long self = ProcessHandle.current().pid();
    double app;
    double postgres;
    double temporalCpu;
    double generator;
    double machine;
    long t0;
    double wall;
    Map<Long, ProcCpu.ThreadCpu> threads;
    final Map<String, double[]> byKind = new java.util.HashMap<>();

    private Cpu(PackagedStoreops storeops) throws Exception {
      this.storeops = storeops;
      this.temporal = ProcCpu.processesNaming(storeops.dir().resolve("temporal"));
    }

    static Cpu start(PackagedStoreops storeops) throws Exception {
      Cpu cpu = new Cpu(storeops);
      cpu.threads = ProcCpu.threads(storeops.pid());
      cpu.app = -ProcCpu.seconds(storeops.pid());
      cpu.postgres = -ProcessCpu.ofPostgres(storeops.pgDirectory());
      cpu.temporalCpu = -ProcCpu.secondsWithDescendants(cpu.temporal);
      cpu.generator = -ProcCpu.seconds(cpu.self);
      cpu.machine = -machineBusySeconds();
      cpu.t0 = System.nanoTime();
      return cpu;
    }

    void stop() throws Exception {
      wall = (System.nanoTime() - t0) / 1e9;
      app += ProcCpu.seconds(storeops.pid());
      postgres += ProcessCpu.ofPostgres(storeops.pgDirectory());
      temporalCpu += ProcCpu.secondsWithDescendants(temporal);
      generator += ProcCpu.seconds(self);
      machine += machineBusySeconds();
      for (Map.Entry<Long, ProcCpu.ThreadCpu> t : ProcCpu.threads(storeops.pid()).entrySet()) {
        ProcCpu.ThreadCpu before = threads.get(t.getKey());
        double[] sum = byKind.computeIfAbsent(kind(t.getValue().name()), k -> new double[2]);
        sum[0] += t.getValue().seconds() - (before == null ? 0 : before.seconds());
        sum[1]++;
      }
    }

    void print() {
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf("CPU over the %.1f s window (%d cores = %.1f CPU s), from /proc:%n", wall, cores, cores * wall);
      row("storeops JVM", app);
      row("PostgreSQL (all its processes)", postgres);
      row("Temporal dev server", temporalCpu);
      row("load generator (this JVM)", generator);
      row("other work on the machine", Math.max(0, machine - app - postgres - temporalCpu - generator));
      row("machine busy", machine);
      System.out.print("storeops JVM by kind of thread, CPU s:");
      byKind.entrySet().stream().filter(e -> e.getValue()[0] >= 0.05)
          .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(10)
          .forEach(e -> System.out.printf(" %s (%.0f) %.1f;", e.getKey(), e.getValue()[1], e.getValue()[0]));
      System.out.println();
    }

    private void row(String name, double seconds) {
      System.out.printf("  %-34s %7.1f CPU s  %5.0f %% of a core%n", name, seconds, 100 * seconds / wall);
    }

    /** "http-nio-8080-exec-12" and "http-nio-8080-exec-3" are one kind of thread. */
    private static String kind(String name) {
      return name.replaceAll("[-#\\s]*\\d+$", "").replaceAll("\\d+", "#");
    }

    /** Busy time of every CPU so far: all of /proc/stat's first line but idle and iowait. */
    private static double machineBusySeconds() throws Exception {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / ProcCpu.TICKS_PER_SECOND;
    }
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
