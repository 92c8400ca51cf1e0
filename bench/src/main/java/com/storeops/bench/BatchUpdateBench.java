package com.storeops.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Batch update speed: a 10 % price cut on 100 000 variants (50 000 products) through the packaged
 * storeops — snapshot, chunks that keep every replaced value, checkpoints, progress — against one
 * plain {@code UPDATE … WHERE} of the same rows on the same database, which keeps nothing. Three
 * rounds, the two sides alternating on the same rows (each after a vacuum, so both find the pages
 * alike), so noise from a shared machine falls on both; CPU read from {@code /proc}.
 */
public final class BatchUpdateBench {

  static final int PRODUCTS = 50_000;
  static final int ROUNDS = 3;

  static final String REQUEST = "{\"filter\": {\"vendor\": \"bench\"}, \"changes\": {\"price\": {\"percent\": -10}}}";
  static final String PLAIN = "update product_variants v set price = round(v.price * 0.9, 2), updated_at = now()"
      + " from products p where p.id = v.product_id and p.vendor = 'bench'";

  record Side(double seconds, double appCpu, double pgCpu) {}

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-batch-bench", dir -> {
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, Map.of())) {
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        try (Connection c = new org.postgresql.Driver().connect(storeops.jdbcUrl(), user); Statement s = c.createStatement()) {
          seed(s);
          List<Side> batches = new ArrayList<>();
          List<Side> plains = new ArrayList<>();
          List<String> statuses = new ArrayList<>();
          for (int round = 0; round < ROUNDS; round++) {
            s.execute("vacuum analyze products, product_variants");
            double app0 = ProcessCpu.of(storeops.pid());
            double pg0 = ProcessCpu.ofPostgres(storeops.pgDirectory());
            long t0 = System.nanoTime();
            statuses.add(storeops.awaitFinal(storeops.post("/api/operations/batch-update", REQUEST)));
            batches.add(new Side((System.nanoTime() - t0) / 1e9, ProcessCpu.of(storeops.pid()) - app0,
                ProcessCpu.ofPostgres(storeops.pgDirectory()) - pg0));

            s.execute("vacuum analyze products, product_variants");
            pg0 = ProcessCpu.ofPostgres(storeops.pgDirectory());
            t0 = System.nanoTime();
            s.execute(PLAIN);
            plains.add(new Side((System.nanoTime() - t0) / 1e9, 0, ProcessCpu.ofPostgres(storeops.pgDirectory()) - pg0));
          }

          int variants = 2 * PRODUCTS;
          System.out.println();
          System.out.println("== Batch update (bench/BatchUpdateBench) ==");
          System.out.printf("10 %% price cut on %d variants of %d products, %d rounds alternating; storeops operations ended %s%n",
              variants, PRODUCTS, ROUNDS, String.join(", ", statuses));
          System.out.printf("%-50s %8s %10s %8s %8s %8s%n", "update", "seconds", "rows/s", "app CPU", "PG CPU", "CPU s");
          for (int round = 0; round < ROUNDS; round++) {
            line("storeops: POST → COMPLETED, round " + (round + 1), batches.get(round), variants);
            line("one plain UPDATE … WHERE, round " + (round + 1), plains.get(round), variants);
          }
          Side batch = median(batches);
          Side plain = median(plains);
          line("storeops, medians", batch, variants);
          line("plain UPDATE, medians", plain, variants);
          System.out.printf("storeops / plain UPDATE: %.2f × the throughput (goal ≥ 0.25), rounds %s; CPU: plain / storeops %.2f ×%n",
              plain.seconds() / batch.seconds(), ratios(batches, plains),
              (plain.appCpu() + plain.pgCpu()) / (batch.appCpu() + batch.pgCpu()));
          System.out.println("(app CPU: the storeops JVM; PG CPU: every process of the embedded PostgreSQL; the Temporal dev server not counted)");
        }
      }
    });
  }

  /** 50 000 products of vendor {@code bench}, each with two variants priced 10.00 and 20.00. */
  static void seed(Statement s) throws Exception {
    s.execute("insert into products (handle, title, vendor) select 'bench-' || i, 'P' || i, 'bench'"
        + " from generate_series(1, " + PRODUCTS + ") i");
    s.execute("insert into product_variants (product_id, sku, position, price) select p.id, p.handle || '-' || k, k, 10.00 * k"
        + " from products p, generate_series(1, 2) k where p.vendor = 'bench'");
    s.execute("vacuum analyze products, product_variants");
  }

  private static void line(String name, Side side, int rows) {
    System.out.printf("%-50s %8.1f %10.0f %8.1f %8.1f %8.1f%n", name, side.seconds(), rows / side.seconds(), side.appCpu(),
        side.pgCpu(), side.appCpu() + side.pgCpu());
  }

  private static String ratios(List<Side> batches, List<Side> plains) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      r.add(String.format("%.2f", plains.get(i).seconds() / batches.get(i).seconds()));
    }
    return "[" + String.join(", ", r) + "]";
  }

  /** Each figure's median on its own: the round of median seconds may be the first, whose CPU is the JIT's. */
  private static Side median(List<Side> sides) {
    return new Side(median(sides, Side::seconds), median(sides, Side::appCpu), median(sides, Side::pgCpu));
  }

  private static double median(List<Side> sides, java.util.function.ToDoubleFunction<Side> figure) {
    double[] values = sides.stream().mapToDouble(figure).sorted().toArray();
    return values[values.length / 2];
  }
}
