package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.FakeShopify;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.sync.ShopifyPushActivitiesImpl;
import com.storeops.sync.ShopifySyncRepository;
import io.temporal.testing.TestActivityEnvironment;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch update pushed to the fake Shopify sends exactly the fields it changed, each with the
 * mutation Shopify has for it — and nothing it did not change (a tags-only batch sends no prices,
 * a variant without SKU keeps Shopify's).
 */
@SpringBootTest
class BatchPushTest {

  @Autowired JdbcClient jdbc;
  @Autowired BatchUpdates updates;
  @Autowired Operations operations;
  @Autowired OperationTracker tracker;
  @Autowired ShopifySyncRepository repository;

  private FakeShopify shop;
  private final List<TestActivityEnvironment> envs = new ArrayList<>();

  @BeforeEach
  void catalogueHeldByBothSides() {
    jdbc.sql("truncate products cascade").update();
    shop = new FakeShopify(1_000_000, 1_000_000);
    shop.addProducts(6); // 12 variants; product 1's first variant has no SKU here
    for (FakeShopify.FakeProduct p : shop.products()) {
      long id = jdbc.sql("insert into products (handle, shopify_id, title, tags, status) values (?, ?, ?, ?::text[], lower(?)) returning id")
          .param(p.handle).param(p.id).param(p.title).param("{" + String.join(",", p.tags) + "}").param(p.status)
          .query(Long.class).single();
      for (int i = 0; i < p.variants.size(); i++) {
        FakeShopify.FakeVariant v = p.variants.get(i);
        jdbc.sql("insert into product_variants (product_id, shopify_id, sku, position, price, compare_at_price, inventory_quantity)"
                + " values (?, ?, ?, ?, ?::numeric, ?::numeric, ?)")
            .param(id).param(v.id()).param(p.handle.equals("shop-product-1") && i == 0 ? null : v.sku()).param(i + 1)
            .param(v.price()).param(v.compareAtPrice()).param(v.quantity()).update();
      }
    }
  }

  @AfterEach
  void stop() {
    envs.forEach(TestActivityEnvironment::close);
    shop.close();
  }

  @Test
  void aTagsOnlyBatchSendsTheTagsAndNoPrices() {
    List<FakeShopify.FakeVariant> before = variants();

    UUID id = runWithPush("{\"tags\": {\"add\": [\"sale\"], \"remove\": [\"sync\"]}}");

    assertThat(mutations()).containsOnlyKeys("tagsAdd", "tagsRemove");
    assertThat(mutations().get("tagsAdd")).as("one per product").isEqualTo(6);
    assertThat(shop.products()).allSatisfy(p -> assertThat(p.tags).contains("sale").doesNotContain("sync"));
    assertThat(variants()).as("prices, compare-at prices, SKUs untouched").isEqualTo(before);
    assertThat(operations.errors(id, 0, 10)).isEmpty();
  }

  @Test
  void aPriceBatchSendsOnlyThePriceAndNeverClearsASku() {
    runWithPush("{\"price\": {\"percent\": -10}}");

    assertThat(mutations()).containsOnlyKeys("productVariantsBulkUpdate");
    List<JsonNode> inputs = shop.sent().stream().flatMap(s -> s.variables().path("variants").valueStream()).toList();
    assertThat(inputs).hasSize(12).allSatisfy(in -> assertThat(in.propertyNames()).containsExactlyInAnyOrder("id", "price"));
    assertThat(shop.products().get(1).variants.get(0).sku()).as("no SKU here: Shopify's stays").isEqualTo("shop-product-1-0");
    assertThat(shop.products().get(0).variants.get(0).price()).isEqualTo("9.45");
    assertThat(shop.products().get(0).variants.get(0).compareAtPrice()).isEqualTo("20.00");
  }

  @Test
  void compareAtClearedIsSentAsNull() {
    runWithPush("{\"compareAtPrice\": {\"clear\": true}}");

    List<JsonNode> inputs = shop.sent().stream().flatMap(s -> s.variables().path("variants").valueStream()).toList();
    assertThat(inputs).hasSize(12).allSatisfy(in -> {
      assertThat(in.propertyNames()).containsExactlyInAnyOrder("id", "compareAtPrice");
      assertThat(in.path("compareAtPrice").isNull()).isTrue();
    });
    assertThat(shop.products()).allSatisfy(p -> assertThat(p.variants).allSatisfy(v -> assertThat(v.compareAtPrice()).isNull()));
  }

  @Test
  void statusAndInventoryGoThroughTheirOwnMutations() {
    List<Integer> quantities = variants().stream().map(FakeShopify.FakeVariant::quantity).toList();

    runWithPush("{\"status\": {\"set\": \"draft\"}, \"inventory\": {\"add\": 3}}");

    assertThat(mutations()).containsOnlyKeys("productUpdate", "inventoryAdjustQuantities");
    assertThat(shop.sent()).filteredOn(s -> s.mutation().equals("productUpdate"))
        .allSatisfy(s -> assertThat(s.variables().path("product").propertyNames()).containsExactlyInAnyOrder("id", "status"));
    assertThat(shop.products()).allSatisfy(p -> assertThat(p.status).isEqualTo("DRAFT"));
    assertThat(shop.sent()).filteredOn(s -> s.mutation().equals("inventoryAdjustQuantities"))
        .allSatisfy(s -> assertThat(s.idempotencyKey()).as("Shopify applies an adjustment once per key").isNotBlank());
    assertThat(variants().stream().map(FakeShopify.FakeVariant::quantity).toList())
        .isEqualTo(quantities.stream().map(q -> q + 3).toList());
  }

  @Test
  void inventorySetSendsTheStoredQuantityAndARevertSendsTheOldTagsBack() {
    List<String> tagsBefore = shop.products().stream().map(p -> String.join(",", p.tags)).toList();
    UUID original = runWithPush("{\"inventory\": {\"set\": 5}, \"tags\": {\"add\": [\"x\"]}}");
    assertThat(mutations()).containsOnlyKeys("tagsAdd", "inventorySetQuantities");
    assertThat(variants()).allSatisfy(v -> assertThat(v.quantity()).isEqualTo(5));

    UUID revert = operations.create(OperationType.BATCH_UPDATE, "revert", new JsonDocument(
        JsonMapper.builder().build().writeValueAsString(Map.of("revertOf", original.toString())))).id();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(revert, original);
    activities(Integer.class).snapshot(apply);
    activities(Integer.class).apply(apply);
    int sentBefore = shop.sent().size();
    activities(Long.class).pushToShopify(apply);

    assertThat(shop.sent().subList(sentBefore, shop.sent().size()).stream().map(FakeShopify.Sent::mutation).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("productUpdate", "inventorySetQuantities");
    assertThat(shop.products().stream().map(p -> String.join(",", p.tags)).toList()).isEqualTo(tagsBefore);
    assertThat(shop.products().get(0).variants.get(0).quantity()).isEqualTo(0);
    assertThat(shop.products().get(4).variants.get(0).quantity()).isEqualTo(4);
  }

  /** A push retried from an earlier heartbeat sends its chunks again: Shopify's refusals are recorded once. */
  @Test
  void aPushRepeatedByARetryRecordsShopifysRefusalsOnce() {
    shop.delete(2);
    UUID id = runWithPush("{\"tags\": {\"add\": [\"x\"]}}");
    assertThat(operations.errors(id, 0, 10)).singleElement().satisfies(e -> assertThat(e.error().message()).contains("does not exist"));

    activities(Long.class).pushToShopify(new BatchUpdateActivities.Apply(id, null)); // no heartbeat reached Temporal

    assertThat(operations.errors(id, 0, 10)).as("the refusal once, though its chunk was sent twice").hasSize(1);
  }

  /**
   * Shopify words some refusals alike for every chunk ("inventory of 100 variants: …"): two chunks
   * refused alike are two errors, and only a chunk sent again is recorded once.
   */
  @Test
  void alikeRefusalsOfTwoChunksAreTwoErrors() {
    UUID id = operations.create(OperationType.BATCH_UPDATE, "test", new JsonDocument("{}")).id();
    List<String> refusal = List.of("inventory of 2 variants: Quantity could not be set");

    operations.addErrorsOnce(id, BatchUpdateActivitiesImpl.pushErrors(List.of(1L, 2L), refusal));
    operations.addErrorsOnce(id, BatchUpdateActivitiesImpl.pushErrors(List.of(3L, 4L), refusal));
    operations.addErrorsOnce(id, BatchUpdateActivitiesImpl.pushErrors(List.of(1L, 2L), refusal)); // the first chunk again

    assertThat(operations.errors(id, 0, 10)).as("one error per chunk refused").hasSize(2);
  }

  /** Runs a batch of {@code changes} on every product, pushed to the fake shop; answers its operation id. */
  private UUID runWithPush(String changes) {
    String request = "{\"filter\": {\"all\": true}, \"changes\": " + changes + ", \"pushToShopify\": true}";
    UUID id = operations.create(OperationType.BATCH_UPDATE, "test", new JsonDocument("{\"request\": " + request + "}")).id();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(id, null);
    activities(Integer.class).snapshot(apply);
    activities(Integer.class).apply(apply);
    activities(Long.class).pushToShopify(apply);
    return id;
  }

  /** Mutation name → how many were sent. */
  private Map<String, Long> mutations() {
    return shop.sent().stream().collect(Collectors.groupingBy(FakeShopify.Sent::mutation, Collectors.counting()));
  }

  private List<FakeShopify.FakeVariant> variants() {
    return shop.products().stream().flatMap(p -> p.variants.stream()).toList();
  }

  // Each activity heartbeats its own checkpoint type: one environment per call, listening for it.
  private <T> BatchUpdateActivities activities(Class<T> heartbeat) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    envs.add(env);
    env.setActivityHeartbeatListener(heartbeat, details -> {});
    ShopifyGraphql client = new ShopifyGraphql(shop.settings(FakeShopify.TOKEN), HttpClient.newHttpClient(), JsonMapper.builder().build());
    ShopifyPushActivitiesImpl push = new ShopifyPushActivitiesImpl(
        new StaticListableBeanFactory(Map.of("shopifyGraphql", client)).getBeanProvider(ShopifyGraphql.class),
        shop.settings(FakeShopify.TOKEN), repository);
    env.registerActivitiesImplementations(new BatchUpdateActivitiesImpl(updates, operations, tracker, push,
        shop.settings(FakeShopify.TOKEN), new BatchSettings(4)));
    return env.newActivityStub(BatchUpdateActivities.class);
  }
}
