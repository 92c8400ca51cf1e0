package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Catalog;
import com.storeops.shopify.FakeShopify;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Shopify and the database misbehaving under full syncs, in one storeops process against a fake
 * shop: the first answer the process ever gets from Shopify is garbage, a bulk export's file
 * drips, and PostgreSQL crashes while a full sync writes what it staged (the crash empties the
 * unlogged staging table). Each sync must end COMPLETED with exactly the shop's products and
 * nothing soft-deleted, and an import run meanwhile must complete too.
 */
class ShopifyFaultsIT {

  static final int PRODUCTS = 20_000;
  static final String FULL_SYNC = "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}";

  @Test
  void fullSyncsThroughGarbageADrippingFileAndAPostgresCrashEndWithExactlyTheShop() throws Exception {
    try (FaultHarness harness = new FaultHarness("shopify-faults"); FakeShopify shop = new FakeShopify(1e9, 1e9)) {
      shop.addProducts(PRODUCTS);
      Catalog side = Catalog.writeCsv(harness.dir.resolve("side.csv"), "side-", 2_000, 1);
      // A 5 s request timeout: a dripping file is cut off after 10 s.
      harness.startStoreops(Map.of("SHOPIFY_SHOP", "fake.myshopify.com", "SHOPIFY_ACCESS_TOKEN", FakeShopify.TOKEN,
          "SHOPIFY_BASE_URL", shop.baseUrl().toString(), "SHOPIFY_SYNC_INTERVAL", "0s", "SHOPIFY_REQUEST_TIMEOUT", "5s",
          "SHOPIFY_BULK_POLL_INTERVAL", "200ms"));

      // The process's first Shopify request is its cost bucket's probe; the answer is an error page.
      shop.garbageNext(1);
      Instant t0 = Instant.now();
      String first = harness.post("/api/operations/shopify-sync", FULL_SYNC).json().get("id").asString();
      String load = harness.upload("/api/operations/import", harness.dir.resolve("side.csv")).json().get("id").asString();
      JsonNode firstDone = harness.awaitEnded(first, Duration.ofSeconds(240));
      JsonNode loadDone = harness.awaitEnded(load, Duration.ofSeconds(240));
      System.out.printf("ShopifyFaultsIT: after a garbage answer, sync %s and import %s in %.1f s%n", status(firstDone),
          status(loadDone), Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      assertThat(status(firstDone)).isEqualTo("COMPLETED");
      assertThat(status(loadDone)).isEqualTo("COMPLETED");
      assertExactlyTheShop(harness, shop);

      // The second full sync: its file drips (cut off, downloaded again), then PostgreSQL crashes
      // while the staged products are being written.
      shop.nextBulkFileDrips();
      t0 = Instant.now();
      String second = harness.post("/api/operations/shopify-sync", FULL_SYNC).json().get("id").asString();
      JsonNode writing = harness.awaitOperation(second, Duration.ofSeconds(240), o -> o.at("/progress/done").asLong() > 0);
      harness.crashAndRestartPostgres();
      System.out.printf("ShopifyFaultsIT: PostgreSQL crashed with the sync at %d of %d products, %.1f s after its start%n",
          writing.at("/progress/done").asLong(), writing.at("/progress/total").asLong(), Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      assertThat(writing.at("/progress/done").asLong()).as("part-way when PostgreSQL crashed").isLessThan(PRODUCTS);

      JsonNode secondDone = harness.awaitEnded(second, Duration.ofSeconds(300));
      System.out.printf("ShopifyFaultsIT: sync %s %.1f s after its start, %d bulk exports run%n", status(secondDone),
          Duration.between(t0, Instant.now()).toMillis() / 1000.0, shop.bulksStarted());
      assertThat(status(secondDone)).isEqualTo("COMPLETED");
      assertExactlyTheShop(harness, shop);
      try (Connection c = harness.db()) {
        assertThat(Catalog.stored(c, "side-%")).as("the import's products, untouched by the syncs").isEqualTo(side);
        assertThat(count(c, "select count(*) from shopify_bulk_lines")).as("staging emptied").isZero();
      }
    }
  }

  private static void assertExactlyTheShop(FaultHarness harness, FakeShopify shop) throws SQLException {
    try (Connection c = harness.db()) {
      assertThat(count(c, "select count(*) from products where shopify_id is not null and deleted_at is not null"))
          .as("soft-deleted").isZero();
      List<Long> live = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery(
          "select shopify_id from products where shopify_id is not null and deleted_at is null order by shopify_id")) {
        while (rs.next()) {
          live.add(rs.getLong(1));
        }
      }
      assertThat(live).isEqualTo(shop.products().stream().map(p -> p.id).sorted().toList());
      assertThat(count(c, "select count(*) from product_variants where shopify_id is not null"))
          .isEqualTo(shop.products().stream().mapToLong(p -> p.variants.size()).sum());
      assertThat(count(c, "select count(*) from product_images where shopify_id is not null"))
          .isEqualTo(shop.products().stream().mapToLong(p -> p.images.size()).sum());
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
