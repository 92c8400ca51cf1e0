package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.FakeShopify;
import com.storeops.shopify.ShopifyGraphql;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incremental and full (bulk) syncs of a 10 000-product fake shop into the real PostgreSQL: the
 * catalogue ends up holding exactly the shop's data, through THROTTLED storms, and a sync
 * interrupted by Shopify errors resumes from its cursor, not from the first page.
 */
@SpringBootTest
class ShopifySyncTest {

  private static final String SHOP = "fake.myshopify.com";

  @Autowired JdbcClient jdbc;
  @Autowired ShopifySyncRepository repository;
  @Autowired Operations operations;
  @Autowired TransactionTemplate transactions;
  @Autowired OperationTracker tracker;

  private FakeShopify shop;
  private TestActivityEnvironment env;

  @BeforeEach
  void cleanCatalogue() {
    // The catalogue is the shop's: start each test from an empty one.
    jdbc.sql("truncate products cascade").update();
    jdbc.sql("delete from shopify_sync_state").update();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  void incrementalThenFullSyncsHoldExactlyTheShopsProducts() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(10_000);

    assertThat(sync(false, 100)).as("the first incremental sync has no watermark: everything").isEqualTo(10_000);
    assertThat(catalogue()).isEqualTo(expected(shop.products()));

    int pagesBefore = shop.firstPages();
    shop.update(17, p -> p.title = "Renamed");
    shop.update(42, p -> p.variants.set(0, new FakeShopify.FakeVariant(p.variants.get(0).id(), "NEW-SKU", "99.99", null, 3, "S0")));
    shop.update(43, p -> p.images.clear());
    shop.update(44, p -> p.handle = "shop-product-44-renamed");
    shop.addProducts(5);
    long changed = sync(false, 100);

    assertThat(changed).as("only what changed since the watermark (the last product again, inclusive)").isEqualTo(10);
    assertThat(shop.ignoredFilters()).as("the updated_at filter was quoted").isZero();
    assertThat(shop.firstPages()).isEqualTo(pagesBefore + 1);
    assertThat(catalogue()).isEqualTo(expected(shop.products()));

    shop.delete(5);
    shop.delete(6);
    shop.bulkBusyNext(2); // another app's bulk query is still running: wait, then start ours
    assertThat(sync(true, 100)).as("a full sync goes through a bulk export").isEqualTo(10_003);
    assertThat(shop.bulksStarted()).isEqualTo(1);
    assertThat(catalogue()).isEqualTo(expected(shop.products()));
    assertThat(jdbc.sql("select count(*) from products where deleted_at is not null").query(Long.class).single())
        .as("soft-deleted, not removed").isEqualTo(2);
    assertThat(jdbc.sql("select count(*) from shopify_bulk_lines").query(Long.class).single()).as("staging emptied").isZero();
  }

  @Test
  void aThrottledStormStillEndsWithExactlyTheShopsProducts() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(300);
    shop.throttleNext(25);

    sync(false, 50);

    assertThat(shop.throttledAnswers()).isEqualTo(25);
    assertThat(catalogue()).isEqualTo(expected(shop.products()));
  }

  @Test
  void aSyncStoppedByShopifyErrorsResumesFromItsCursor() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(500);
    UUID id = operation();
    AtomicReference<ShopifyIncrementalSyncActivitiesImpl.Checkpoint> last = new AtomicReference<>();
    ShopifyIncrementalSyncActivities first = incrementalActivities(50, last::set);
    shop.failAfter(4, 500, 502, 503, 500); // count + 3 pages, then more 5xx than the client retries

    assertThatThrownBy(() -> first.syncUpdatedProducts(new SyncProducts(id, SHOP)))
        .hasMessageContaining("HTTP 500");
    assertThat(last.get().done()).isEqualTo(150);
    env.close();

    env = null;
    ShopifyIncrementalSyncActivities retry = incrementalActivities(50, at -> {});
    env.setHeartbeatDetails(last.get());
    long synced = retry.syncUpdatedProducts(new SyncProducts(id, SHOP)).products();

    assertThat(synced).isEqualTo(500);
    assertThat(shop.firstPages()).as("the retry went on from the cursor").isEqualTo(1);
    assertThat(catalogue()).isEqualTo(expected(shop.products()));
    operations.finish(id, OperationStatus.COMPLETED, null);
  }

  @Test
  void storedVariantChangesArePushedBackProductByProduct() {
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(30);
    sync(false, 50);
    jdbc.sql("update product_variants set price = price + 1, compare_at_price = null, sku = sku || '-x'"
        + " where product_id in (select id from products where handle in ('shop-product-1', 'shop-product-2'))").update();
    jdbc.sql("insert into product_variants (product_id, sku, position, price) select id, 'LOCAL-ONLY', 9, 1.00"
        + " from products where handle = 'shop-product-1'").update();
    shop.update(2, p -> p.variants.remove(2)); // Shopify no longer has this one
    List<Long> ids = jdbc.sql("select v.id from product_variants v join products p on p.id = v.product_id"
        + " where p.handle in ('shop-product-1', 'shop-product-2') order by v.id").query(Long.class).list();
    ShopifyPushActivities push = pushActivities();

    ShopifyPushActivities.Pushed pushed = push.pushChanges(new ShopifyPushActivities.PushChanges(SHOP, "test", List.of(), ids,
        new ShopifyPushActivities.PushFields(true, true, true, false, false, List.of(), List.of(), false, null)));

    assertThat(pushed.skipped()).as("the variant Shopify never had").isEqualTo(1);
    assertThat(pushed.pushed()).isEqualTo(2);
    assertThat(pushed.errors()).singleElement().asString().contains("does not exist");
    FakeShopify.FakeVariant v = shop.products().get(1).variants.get(0);
    assertThat(v.price()).isEqualTo("11.50");
    assertThat(v.sku()).isEqualTo("shop-product-1-0-x");
    assertThat(v.compareAtPrice()).isNull();
    assertThat(shop.products().get(2).variants.get(0).price()).as("all or nothing per product").isEqualTo("10.50");
    assertThat(shop.variantUpdates()).isEqualTo(1);
  }

  private ShopifyPushActivities pushActivities() {
    env = TestActivityEnvironment.newInstance();
    ShopifyGraphql client = new ShopifyGraphql(shop.settings(FakeShopify.TOKEN), HttpClient.newHttpClient(), JsonMapper.builder().build());
    env.registerActivitiesImplementations(new ShopifyPushActivitiesImpl(
        new StaticListableBeanFactory(Map.of("shopifyGraphql", client)).getBeanProvider(ShopifyGraphql.class),
        shop.settings(FakeShopify.TOKEN), repository));
    return env.newActivityStub(ShopifyPushActivities.class);
  }

  private long sync(boolean full, int pageSize) {
    UUID id = operation();
    long products;
    if (full) {
      ShopifyBulkSyncActivities bulk = bulkActivities();
      products = bulk.syncAllProducts(new SyncProducts(id, SHOP)).products();
      bulk.removeMissingProducts(new ShopifyBulkSyncActivities.RemoveMissing(id));
    } else {
      products = incrementalActivities(pageSize, at -> {}).syncUpdatedProducts(new SyncProducts(id, SHOP)).products();
    }
    operations.finish(id, OperationStatus.COMPLETED, null);
    env.close();
    env = null;
    return products;
  }

  private ShopifyIncrementalSyncActivities incrementalActivities(int pageSize, Consumer<ShopifyIncrementalSyncActivitiesImpl.Checkpoint> heartbeats) {
    env = TestActivityEnvironment.newInstance();
    return wiring().incrementalOn(env, shop.settings(FakeShopify.TOKEN), pageSize, heartbeats);
  }

  private ShopifyBulkSyncActivities bulkActivities() {
    env = TestActivityEnvironment.newInstance();
    return wiring().bulkOn(env, shop.settings(FakeShopify.TOKEN));
  }

  private SyncActivities wiring() {
    return new SyncActivities(repository, operations, transactions, tracker);
  }

  private UUID operation() {
    return operations.create(OperationType.SHOPIFY_SYNC, SHOP, new JsonDocument("{\"shop\": \"fake.myshopify.com\"}")).id();
  }

  /** Each live product as one line: its fields, its variants and its images, in order. */
  private Set<String> catalogue() {
    return new TreeSet<>(jdbc.sql("""
        select p.shopify_id || '|' || p.handle || '|' || p.title || '|' || p.vendor || '|' || p.status || '|'
               || array_to_string(p.tags, ',') || '|' || coalesce(p.option1_name, '') || '|'
               || coalesce((select string_agg(v.shopify_id || ':' || v.sku || ':' || v.price || ':' || coalesce(v.compare_at_price::text, '-')
                                   || ':' || v.inventory_quantity || ':' || v.option1, ';' order by v.position)
                            from product_variants v where v.product_id = p.id), '') || '|'
               || coalesce((select string_agg(i.shopify_id || ':' || i.src || ':' || coalesce(i.alt_text, '-'), ';' order by i.position)
                            from product_images i where i.product_id = p.id), '')
        from products p where p.deleted_at is null""").query(String.class).list());
  }

  private static Set<String> expected(List<FakeShopify.FakeProduct> products) {
    return products.stream().map(p -> p.id + "|" + p.handle + "|" + p.title + "|" + p.vendor + "|" + p.status.toLowerCase()
        + "|" + String.join(",", p.tags) + "|" + p.options.get(0) + "|"
        + p.variants.stream().map(v -> v.id() + ":" + v.sku() + ":" + v.price() + ":" + (v.compareAtPrice() == null ? "-" : v.compareAtPrice())
            + ":" + v.quantity() + ":" + v.option()).collect(Collectors.joining(";"))
        + "|" + p.images.stream().map(i -> i.id() + ":" + i.url() + ":" + (i.alt() == null ? "-" : i.alt())).collect(Collectors.joining(";")))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
