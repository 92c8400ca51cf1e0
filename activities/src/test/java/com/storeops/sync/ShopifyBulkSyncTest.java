package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.FakeShopify;
import com.storeops.shopify.ShopifySettings;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A full sync soft-deletes what it did not write, so it must never finish on an export it did not
 * wholly stage and write: staged lines lost to a PostgreSQL crash, an export that completed without
 * its file, a file cut short. Each case starts from a catalogue a first full sync wrote.
 */
@SpringBootTest
class ShopifyBulkSyncTest {

  private static final String SHOP = "fake.myshopify.com";
  private static final int PRODUCTS = 1_200;

  @Autowired JdbcClient jdbc;
  @Autowired ShopifySyncRepository repository;
  @Autowired Operations operations;
  @Autowired TransactionTemplate transactions;
  @Autowired OperationTracker tracker;

  private FakeShopify shop;
  private TestActivityEnvironment env;
  private final List<UUID> open = new ArrayList<>(); // one sync per shop at a time: each test's ends with it

  @BeforeEach
  void aCatalogueAFullSyncWrote() {
    jdbc.sql("truncate products cascade").update();
    jdbc.sql("delete from shopify_sync_state").update();
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(PRODUCTS);
    UUID first = operation();
    assertThat(bulkActivities(Map.of()).syncAllProducts(new SyncProducts(first, SHOP)).products()).isEqualTo(PRODUCTS);
    operations.finish(first, OperationStatus.COMPLETED, null);
    open.remove(first);
    closeEnv();
  }

  @AfterEach
  void stop() {
    closeEnv();
    shop.close();
    open.forEach(id -> operations.finish(id, OperationStatus.COMPLETED, null));
  }

  @Test
  void stagedLinesLostToACrashAreStagedAgainAndNothingIsSoftDeleted() {
    UUID id = operation();
    // The retry of an attempt that had staged the export and written its first batch of 500
    // products when PostgreSQL crashed; the checkpoint it heartbeated says so.
    Map<String, Object> checkpoint = new LinkedHashMap<>();
    checkpoint.put("bulk", "gid://shopify/BulkOperation/1");
    checkpoint.put("staged", true);
    checkpoint.put("line", 500);
    checkpoint.put("done", 500);
    checkpoint.put("newest", null);
    checkpoint.put("lines", lines());
    checkpoint.put("products", PRODUCTS);
    ShopifyBulkSyncActivities retry = bulkActivities(checkpoint);
    assertThat(jdbc.sql("select count(*) from shopify_bulk_lines").query(Long.class).single())
        .as("the staging table as a crash leaves an unlogged one").isZero();

    long synced = retry.syncAllProducts(new SyncProducts(id, SHOP)).products();
    long removed = retry.removeMissingProducts(new ShopifyBulkSyncActivities.RemoveMissing(id)).products();

    assertThat(synced).as("every product, staged again").isEqualTo(PRODUCTS);
    assertThat(removed).isZero();
    assertThat(liveShopifyIds()).isEqualTo(shopIds());
    assertThat(jdbc.sql("select count(*) from product_variants").query(Long.class).single()).isEqualTo(variants());
  }

  @Test
  void anExportThatCompletedWithoutItsFileIsNotTakenForAnEmptyShop() {
    shop.nextBulkCompletesWithoutUrl();
    UUID id = operation();
    ShopifyBulkSyncActivities sync = bulkActivities(Map.of());

    assertThatThrownBy(() -> sync.syncAllProducts(new SyncProducts(id, SHOP)))
        .hasStackTraceContaining("has no URL").hasStackTraceContaining("ShopifyUnavailable");

    assertThat(liveShopifyIds()).as("nothing soft-deleted").isEqualTo(shopIds());
  }

  @Test
  void aFileCutShortOfTheExportsCountIsRetriedNotWritten() {
    shop.nextBulkFileLoses(40);
    UUID id = operation();
    ShopifyBulkSyncActivities sync = bulkActivities(Map.of());

    assertThatThrownBy(() -> sync.syncAllProducts(new SyncProducts(id, SHOP)))
        .hasStackTraceContaining("held " + (lines() - 40) + " lines");

    assertThat(jdbc.sql("select count(*) from shopify_bulk_lines").query(Long.class).single()).as("staging emptied").isZero();
    closeEnv();
    long synced = bulkActivities(Map.of()).syncAllProducts(new SyncProducts(id, SHOP)).products();
    assertThat(synced).as("the retry, a new export").isEqualTo(PRODUCTS);
    assertThat(jdbc.sql("select count(*) from product_images").query(Long.class).single()).isEqualTo(images());
  }

  @Test
  void aFileThatDripsIsCutOffAndTheSyncFailsRetryablyWritingNothing() {
    shop.nextBulkFileDrips();
    UUID id = operation();
    ShopifyBulkSyncActivities sync = bulkActivities(Map.of(), Duration.ofSeconds(1));

    assertTimeoutPreemptively(Duration.ofSeconds(40), () -> assertThatThrownBy(() -> sync.syncAllProducts(new SyncProducts(id, SHOP)))
        .hasStackTraceContaining("too little within 2 s"));

    assertThat(liveShopifyIds()).as("nothing soft-deleted").isEqualTo(shopIds());
  }

  private ShopifyBulkSyncActivities bulkActivities(Map<String, Object> checkpoint) {
    return bulkActivities(checkpoint, shop.settings(FakeShopify.TOKEN).requestTimeout());
  }

  private ShopifyBulkSyncActivities bulkActivities(Map<String, Object> checkpoint, Duration requestTimeout) {
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(ShopifyBulkSyncActivitiesImpl.BulkCheckpoint.class, at -> {});
    if (!checkpoint.isEmpty()) {
      env.setHeartbeatDetails(checkpoint);
    }
    ShopifySettings fake = shop.settings(FakeShopify.TOKEN);
    ShopifySettings shopify = new ShopifySettings(fake.shop(), fake.accessToken(), null, fake.apiVersion(), fake.baseUrl(),
        requestTimeout, fake.maxAttempts());
    env.registerActivitiesImplementations(new SyncActivities(repository, operations, transactions, tracker)
        .bulk(shopify, SyncActivities.settings(100)));
    return env.newActivityStub(ShopifyBulkSyncActivities.class);
  }

  private void closeEnv() {
    if (env != null) {
      env.close();
      env = null;
    }
  }

  private UUID operation() {
    UUID id = operations.create(OperationType.SHOPIFY_SYNC, SHOP, new JsonDocument("{\"shop\": \"fake.myshopify.com\"}")).id();
    open.add(id);
    return id;
  }

  private List<Long> liveShopifyIds() {
    return jdbc.sql("select shopify_id from products where deleted_at is null order by shopify_id").query(Long.class).list();
  }

  private List<Long> shopIds() {
    return shop.products().stream().map(p -> p.id).sorted().toList();
  }

  private long variants() {
    return shop.products().stream().mapToLong(p -> p.variants.size()).sum();
  }

  private long images() {
    return shop.products().stream().mapToLong(p -> p.images.size()).sum();
  }

  private long lines() {
    return PRODUCTS + variants() + images();
  }
}
