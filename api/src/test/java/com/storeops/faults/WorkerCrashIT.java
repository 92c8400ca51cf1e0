package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Catalog;
import com.storeops.shopify.FakeShopify;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The crash Celery loses tasks to, with api and worker as separate processes (STOREOPS_ROLES=api and
 * =worker) sharing PostgreSQL and Temporal's dev server: the worker SIGKILLed while a 50 000-product
 * CSV import, a batch update and an incremental Shopify sync all run, then a new worker started.
 * PostgreSQL and Temporal live in the test JVM and survive, as they would on their own servers; the
 * api process stays up throughout. Every operation must end COMPLETED with exactly the file's, the
 * update's and the shop's data — nothing lost, nothing twice — and counts to match. No workaround
 * for sticky queues: the dev server itself moves the killed worker's workflow tasks back to the
 * shared queues.
 */
class WorkerCrashIT {

  static final int PRODUCTS = 50_000;
  static final int BASE_PRODUCTS = 20_000;
  static final int SHOP_PRODUCTS = 3000;
  // Pages cost ~80 points: at 800 points/s the sync runs ~30 s, long enough to overlap the import.
  static final double RESTORE_RATE = 800;

  static FaultHarness harness;
  static FakeShopify shop;
  static Catalog file;
  static String importId;
  static String batchId;
  static String syncId;
  static Instant killedAt;

  @BeforeAll
  static void killTheWorkerWhileAnImportABatchUpdateAndASyncRun() throws Exception {
    harness = new FaultHarness("worker-crash");
    shop = new FakeShopify(1000, RESTORE_RATE);
    shop.addProducts(SHOP_PRODUCTS);
    Path csv = harness.dir.resolve("crash.csv");
    file = Catalog.writeCsv(csv, "crash-", PRODUCTS, 2);
    Path base = harness.dir.resolve("base.csv");
    Catalog.writeCsv(base, "base-", BASE_PRODUCTS, 2);
    // Small batch chunks: the update then runs long enough to be caught mid-way.
    Map<String, String> env = Map.of("SHOPIFY_SHOP", "fake.myshopify.com", "SHOPIFY_ACCESS_TOKEN", FakeShopify.TOKEN,
        "SHOPIFY_BASE_URL", shop.baseUrl().toString(), "SHOPIFY_SYNC_INTERVAL", "0s", "STOREOPS_BATCH_CHUNK_PRODUCTS", "200");
    FaultHarness.Node worker = harness.startApiAndWorker(env);
    String baseId = harness.upload("/api/operations/import", base).json().get("id").asString();
    assertThat(status(harness.awaitEnded(baseId, Duration.ofSeconds(180)))).isEqualTo("COMPLETED");

    // The slowest to start first; the batch update, done in seconds, only once both others have
    // committed a chunk, and the kill follows its first committed chunk.
    syncId = harness.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"incremental\"}")
        .json().get("id").asString();
    importId = harness.upload("/api/operations/import", csv).json().get("id").asString();
    for (String id : List.of(syncId, importId)) {
      harness.awaitOperation(id, Duration.ofSeconds(60), op -> op.at("/progress/done").asLong() > 0);
    }
    batchId = harness.post("/api/operations/batch-update",
        "{\"filter\": {\"vendor\": \"base-vendor\"}, \"changes\": {\"price\": {\"add\": \"1.00\"}}}").json().get("id").asString();
    harness.awaitOperation(batchId, Duration.ofSeconds(60), op -> op.at("/progress/done").asLong() > 0);
    harness.kill(worker);
    killedAt = Instant.now();

    // The worker is dead, so the database shows exactly where it stopped.
    try (Connection c = harness.db()) {
      for (String id : List.of(importId, batchId, syncId)) {
        try (ResultSet rs = c.createStatement().executeQuery(
            "select status, items_done, items_total from operations where id = '" + UUID.fromString(id) + "'")) {
          rs.next();
          System.out.printf("WorkerCrashIT: killed with operation %s %s at %d of %d%n", id, rs.getString(1), rs.getLong(2), rs.getLong(3));
          assertThat(rs.getString(1)).as("still running when killed").isEqualTo("RUNNING");
          assertThat(rs.getLong(2)).as("part-way when killed").isPositive().isLessThan(rs.getLong(3));
        }
      }
    }
    harness.startWorker(env);
  }

  @AfterAll
  static void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  void batchUpdateKilledMidWayCompletesChangingEveryPriceOnce() throws SQLException {
    JsonNode done = harness.awaitEnded(batchId, Duration.ofSeconds(240));
    System.out.printf("WorkerCrashIT: batch update %s %.0f s after the kill%n", status(done), sinceKill(done));

    assertThat(status(done)).isEqualTo("COMPLETED");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(BASE_PRODUCTS);
    assertThat(done.at("/counts/succeeded").asLong()).as("variants changed").isEqualTo(2L * BASE_PRODUCTS);
    try (Connection c = harness.db()) {
      assertThat(Catalog.stored(c, "base-%")).as("every base price raised by 1.00 exactly once")
          .isEqualTo(Catalog.generated("base-", BASE_PRODUCTS, 2, new BigDecimal("1.00")));
    }
  }

  @Test
  void importKilledMidFileCompletesWithExactlyTheFile() throws SQLException {
    JsonNode done = harness.awaitEnded(importId, Duration.ofSeconds(240));
    System.out.printf("WorkerCrashIT: import %s %.0f s after the kill%n", status(done), sinceKill(done));

    assertThat(status(done)).isEqualTo("COMPLETED");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(PRODUCTS);
    assertThat(done.at("/progress/total").asLong()).isEqualTo(PRODUCTS);
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(PRODUCTS);
    assertThat(done.at("/counts/failed").asLong() + done.at("/counts/skipped").asLong()).isZero();
    try (Connection c = harness.db()) {
      assertThat(Catalog.stored(c, "crash-%")).as("products, variants and checksum of the file").isEqualTo(file);
    }
  }

  @Test
  void syncKilledMidShopCompletesWithExactlyTheShop() throws SQLException {
    JsonNode done = harness.awaitEnded(syncId, Duration.ofSeconds(240));
    System.out.printf("WorkerCrashIT: sync %s %.0f s after the kill%n", status(done), sinceKill(done));

    assertThat(status(done)).isEqualTo("COMPLETED");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(SHOP_PRODUCTS);
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(SHOP_PRODUCTS);
    List<FakeShopify.FakeProduct> products = shop.products();
    Catalog expected = Catalog.of(products.size(), products.stream()
        .flatMap(p -> p.variants.stream().map(v -> v.sku() + "|" + p.handle + "|" + v.price())).toList());
    try (Connection c = harness.db()) {
      assertThat(Catalog.stored(c, "shop-product-%")).as("products, variants and checksum of the shop").isEqualTo(expected);
      try (ResultSet rs = c.createStatement().executeQuery(
          "select count(*) from product_images i join products p on p.id = i.product_id where p.handle like 'shop-product-%'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(products.stream().mapToLong(p -> p.images.size()).sum());
      }
    }
    assertThat(shop.firstPages()).as("the retry resumed from its heartbeat cursor, not from the first page").isEqualTo(1);
  }

  private static double sinceKill(JsonNode operation) {
    return Duration.between(killedAt, Instant.parse(operation.get("finishedAt").asString())).toMillis() / 1000.0;
  }
}
