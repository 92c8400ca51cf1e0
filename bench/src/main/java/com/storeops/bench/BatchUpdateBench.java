package com.storeops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * Batch update speed: a 10 % price cut on 100 000 variants (50 000 products) through the packaged
 * storeops — snapshot, chunks that keep every replaced value, checkpoints, progress — against one
 * plain {@code UPDATE … WHERE} of the same rows on the same database, which keeps nothing.
 */
public final class BatchUpdateBench {

  static final int PRODUCTS = 50_000;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("storeops-batch-bench");
    Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
    try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, Map.of())) {
      Properties user = new Properties();
      user.setProperty("user", "postgres");
      try (Connection c = new org.postgresql.Driver().connect(storeops.jdbcUrl(), user); Statement s = c.createStatement()) {
        s.execute("insert into products (handle, title, vendor) select 'bench-' || i, 'P' || i, 'bench'"
            + " from generate_series(1, " + PRODUCTS + ") i");
        s.execute("insert into product_variants (product_id, sku, position, price) select p.id, p.handle || '-' || k, k, 10.00 * k"
            + " from products p, generate_series(1, 2) k where p.vendor = 'bench'");
        s.execute("vacuum analyze products, product_variants");

        long t0 = System.nanoTime();
        String status = storeops.awaitFinal(storeops.post("/api/operations/batch-update",
            "{\"filter\": {\"vendor\": \"bench\"}, \"changes\": {\"price\": {\"percent\": -10}}}"));
        double batch = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        s.execute("update product_variants v set price = round(v.price * 0.9, 2), updated_at = now()"
            + " from products p where p.id = v.product_id and p.vendor = 'bench'");
        double plain = (System.nanoTime() - t0) / 1e9;

        int variants = 2 * PRODUCTS;
        System.out.println();
        System.out.println("== Batch update (bench/BatchUpdateBench) ==");
        System.out.printf("10 %% price cut on %d variants of %d products; storeops operation ended %s%n", variants, PRODUCTS, status);
        System.out.printf("%-62s %8s %10s%n", "update", "seconds", "rows/s");
        System.out.printf("%-62s %8.1f %10.0f%n", "storeops: POST → COMPLETED (snapshot, chunks keeping old values)", batch, variants / batch);
        System.out.printf("%-62s %8.1f %10.0f%n", "one plain UPDATE … WHERE of the same rows", plain, variants / plain);
        System.out.printf("storeops / plain UPDATE: %.2f × the throughput%n", plain / batch);
      }
    }
  }
}
