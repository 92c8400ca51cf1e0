package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.FakeShopify;
import io.temporal.testing.TestActivityEnvironment;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A product the catalogue cannot hold as Shopify sends it (a price that is no number or too large,
 * no handle, a NUL byte, a handle too long for its index, a handle another stored product holds) is
 * that product's error: the sync writes every other product and completes in one attempt, where a
 * thrown page would be retried by Temporal for ever.
 */
@SpringBootTest
class ShopifySyncBadDataTest {

  private static final String SHOP = "fake.myshopify.com";

  @Autowired JdbcClient jdbc;
  @Autowired ShopifySyncRepository repository;
  @Autowired Operations operations;
  @Autowired TransactionTemplate transactions;
  @Autowired OperationTracker tracker;

  private FakeShopify shop;
  private TestActivityEnvironment env;
  private final List<UUID> running = new java.util.ArrayList<>();

  @BeforeEach
  void cleanCatalogue() {
    jdbc.sql("truncate products cascade").update();
    jdbc.sql("delete from shopify_sync_state").update();
  }

  @AfterEach
  void stop() {
    finishRunning();
    if (env != null) {
      env.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  void malformedProductsBecomeTheirErrorsAndTheIncrementalSyncCompletesWithEveryGoodOne() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(20);
    long notANumber = badProduct(p -> p.variants.add(shop.variant("NAN-1", "twelve", "S0"))).id;
    long tooLarge = badProduct(p -> p.variants.add(shop.variant("BIG-1", "12345678901.00", "S0"))).id;
    long noHandle = badProduct(p -> p.handle = null).id;
    long nul = badProduct(p -> p.title = "Broken\u0000title").id;
    long longHandle = badProduct(p -> p.handle = randomText(9_000)).id; // beyond a btree index row: only the database knows
    shop.addProducts(20);

    UUID id = operation();
    long synced = incremental(7).syncUpdatedProducts(new SyncProducts(id, SHOP)).products();

    assertThat(synced).as("every product seen, good or bad").isEqualTo(45);
    assertThat(storedShopifyIds()).as("every good product stored, no bad one")
        .containsExactlyInAnyOrderElementsOf(shop.products().stream().map(p -> p.id)
            .filter(p -> !List.of(notANumber, tooLarge, noHandle, nul, longHandle).contains(p)).toList());
    assertThat(errors(id)).hasSize(5)
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + notANumber).contains("price").contains("twelve"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + tooLarge).contains("price").contains("12345678901.00"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + noHandle).contains("handle"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + nul).contains("NUL"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + longHandle).contains("index"));
    Operation operation = operations.find(id).orElseThrow();
    assertThat(operation.failedCount()).isEqualTo(5);
    assertThat(operation.succeededCount()).isEqualTo(40);
    assertThat(repository.watermark(SHOP)).as("the sync went to its end").isPresent();
  }

  /**
   * The worker dies after a page committed and before Temporal got the heartbeat past it: the
   * retry resumes from an earlier checkpoint and writes those pages again. The products and counts
   * come out the same; so must the errors, each refused product once.
   */
  @Test
  void pagesRepeatedByARetryRecordTheirRefusedProductsOnce() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(3);
    long first = badProduct(p -> p.variants.add(shop.variant("NAN-1", "twelve", "S0"))).id;
    shop.addProducts(3);
    long second = badProduct(p -> p.handle = null).id;
    shop.addProducts(3);
    List<ShopifyIncrementalSyncActivitiesImpl.Checkpoint> checkpoints = new java.util.ArrayList<>();
    UUID id = operation();
    env = TestActivityEnvironment.newInstance();
    wiring().incrementalOn(env, shop.settings(FakeShopify.TOKEN), 4, checkpoints::add)
        .syncUpdatedProducts(new SyncProducts(id, SHOP));
    env.close();

    env = TestActivityEnvironment.newInstance();
    ShopifyIncrementalSyncActivities retry = wiring().incrementalOn(env, shop.settings(FakeShopify.TOKEN), 4, at -> {});
    env.setHeartbeatDetails(checkpoints.get(0)); // the last heartbeat Temporal got: after the first page
    long synced = retry.syncUpdatedProducts(new SyncProducts(id, SHOP)).products();

    assertThat(synced).isEqualTo(11);
    assertThat(errors(id)).as("each refused product once, though its page was written twice").hasSize(2)
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + first).contains("price"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + second).contains("handle"));
    Operation operation = operations.find(id).orElseThrow();
    assertThat(operation.failedCount()).isEqualTo(2);
    assertThat(operation.succeededCount()).isEqualTo(9);
  }

  @Test
  void aHandleRenamedOntoAnotherStoredProductsHandleIsThatProductsError() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(6);
    finish(incremental(10).syncUpdatedProducts(new SyncProducts(operation(), SHOP)));
    jdbc.sql("insert into products (handle, title) values ('imported-from-csv', 'Imported')").update();
    jdbc.sql("insert into products (handle, title, shopify_id, deleted_at) values ('deleted-in-shop', 'Gone', 999999, now())").update();
    shop.update(1, p -> p.handle = "imported-from-csv");
    shop.update(2, p -> p.handle = "deleted-in-shop");
    shop.update(3, p -> p.title = "Renamed title");
    long renamedOntoImport = shop.products().get(1).id;
    long renamedOntoDeleted = shop.products().get(2).id;

    UUID id = operation();
    incremental(10).syncUpdatedProducts(new SyncProducts(id, SHOP));

    assertThat(errors(id)).hasSize(2)
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + renamedOntoImport).contains("imported-from-csv"))
        .anySatisfy(e -> assertThat(e).contains("Shopify product " + renamedOntoDeleted).contains("deleted-in-shop"));
    assertThat(jdbc.sql("select title from products where shopify_id = ?").param(shop.products().get(3).id).query(String.class).single())
        .as("the rest of the page is written").isEqualTo("Renamed title");
    assertThat(jdbc.sql("select handle from products where shopify_id = ?").param(renamedOntoImport).query(String.class).single())
        .as("the refused product keeps what it had").isEqualTo("shop-product-1");
    assertThat(operations.find(id).orElseThrow().failedCount()).isEqualTo(2);
  }

  @Test
  void aMalformedProductInABulkExportIsItsErrorAndIsNotTakenForGoneFromTheShop() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(30);
    finish(incremental(10).syncUpdatedProducts(new SyncProducts(operation(), SHOP)));
    shop.update(4, p -> p.variants.set(0, p.variants.get(0).withPrices("BAD", "-", null)));
    shop.update(5, p -> p.title = "Bulk renamed");
    long malformed = shop.products().get(4).id;

    UUID id = operation();
    ShopifyBulkSyncActivities bulk = bulk();
    long synced = bulk.syncAllProducts(new SyncProducts(id, SHOP)).products();
    long removed = bulk.removeMissingProducts(new ShopifyBulkSyncActivities.RemoveMissing(id)).products();

    assertThat(synced).isEqualTo(30);
    assertThat(errors(id)).singleElement().asString().contains("Shopify product " + malformed).contains("price");
    assertThat(removed).as("a product refused is still in the shop: not soft-deleted").isZero();
    assertThat(jdbc.sql("select count(*) from products where deleted_at is null").query(Long.class).single()).isEqualTo(30);
    assertThat(jdbc.sql("select title from products where shopify_id = ?").param(shop.products().get(5).id).query(String.class).single())
        .isEqualTo("Bulk renamed");
  }

  private FakeShopify.FakeProduct badProduct(java.util.function.Consumer<FakeShopify.FakeProduct> spoil) {
    return shop.addProduct(p -> {
      p.handle = "bad-" + p.id;
      p.vendor = "Vendor";
      p.options.add("Size");
      spoil.accept(p);
      if (p.variants.isEmpty()) {
        p.variants.add(shop.variant("OK-" + p.id, "1.00", "S0"));
      }
    });
  }

  private static String randomText(int length) {
    StringBuilder text = new StringBuilder();
    java.util.Random random = new java.util.Random(7);
    while (text.length() < length) {
      text.append(Long.toString(random.nextLong(), 36));
    }
    return text.substring(0, length);
  }

  private List<Long> storedShopifyIds() {
    return jdbc.sql("select shopify_id from products where deleted_at is null").query(Long.class).list();
  }

  private List<String> errors(UUID id) {
    return operations.errors(id, 0, 100).stream()
        .map(e -> e.error().location() + " | " + e.error().field() + " | " + e.error().value() + " | " + e.error().message())
        .toList();
  }

  private void finish(Synced synced) {
    env.close();
    env = null;
  }

  /** One sync of the shop at a time: the one before is ended first. */
  private UUID operation() {
    finishRunning();
    UUID id = operations.create(OperationType.SHOPIFY_SYNC, SHOP, new JsonDocument("{\"shop\": \"fake.myshopify.com\"}")).id();
    running.add(id);
    return id;
  }

  private void finishRunning() {
    running.forEach(id -> operations.finish(id, OperationStatus.COMPLETED, null));
    running.clear();
  }

  private ShopifyIncrementalSyncActivities incremental(int pageSize) {
    env = TestActivityEnvironment.newInstance();
    return wiring().incrementalOn(env, shop.settings(FakeShopify.TOKEN), pageSize, at -> {});
  }

  private ShopifyBulkSyncActivities bulk() {
    env = TestActivityEnvironment.newInstance();
    return wiring().bulkOn(env, shop.settings(FakeShopify.TOKEN));
  }

  private SyncActivities wiring() {
    return new SyncActivities(repository, operations, transactions, tracker);
  }
}
