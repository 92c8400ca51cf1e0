package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import com.storeops.shopify.FakeShopify;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Shopify syncs through the REST API and through webhooks, with the sync and schedule workflows on
 * the embedded Temporal, against the fake Shopify on 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ShopifySyncOperationTest {

  private static final FakeShopify SHOP = new FakeShopify(1_000_000, 1_000_000);
  private static final String SECRET = "whsec_test_secret";

  @DynamicPropertySource
  static void shopify(DynamicPropertyRegistry registry) {
    registry.add("storeops.shopify.shop", () -> "fake.myshopify.com");
    registry.add("storeops.shopify.access-token", () -> FakeShopify.TOKEN);
    registry.add("storeops.shopify.base-url", () -> SHOP.baseUrl().toString());
    registry.add("storeops.shopify.api-secret", () -> SECRET);
    registry.add("storeops.shopify.sync-interval", () -> "0s"); // webhooks only: no periodic sync during tests
    registry.add("storeops.shopify.webhook-debounce", () -> "1s");
    registry.add("storeops.shopify.bulk-poll-interval", () -> "100ms");
  }

  @AfterAll
  static void stop() {
    SHOP.close();
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void aFullSyncBringsEveryProductAndASecondTriggerAnswersTheRunningOne() {
    SHOP.addProducts(300);
    SHOP.delayNext(2, 1_500); // keep the sync running while the second trigger arrives

    Http.Response first = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}");
    Http.Response second = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\"}");

    assertThat(first.status()).isEqualTo(202);
    String id = first.json().get("id").asString();
    assertThat(first.json().get("type").asString()).isEqualTo("shopify-sync");
    assertThat(second.status()).as("one sync per shop: the running one").isEqualTo(200);
    assertThat(second.json().get("id").asString()).isEqualTo(id);
    JsonNode done = http.awaitEnded(id);
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    int inShop = SHOP.products().size(); // other tests of this class may have added products first
    assertThat(done.at("/progress/done").asLong()).isEqualTo(inShop);
    assertThat(done.at("/progress/total").asLong()).isEqualTo(inShop);
    assertThat(jdbc.sql("select count(*) from products where shopify_id is not null and deleted_at is null").query(Long.class).single())
        .isEqualTo(inShop);

    Http.Response next = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\"}");
    assertThat(next.status()).as("after it ended, a new sync starts").isEqualTo(202);
    assertThat(http.awaitEnded(next.json().get("id").asString()).get("status").asString()).isEqualTo("COMPLETED");
  }

  @Test
  void aProductTheCatalogueCannotHoldIsListedAsItsErrorAndTheSyncCompletes() {
    SHOP.addProducts(5);
    FakeShopify.FakeProduct bad = SHOP.addProduct(p -> {
      p.handle = "price-not-a-number";
      p.options.add("Size");
      p.variants.add(SHOP.variant("NAN", "twelve", "S"));
    });
    try {
      Http.Response started = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\"}");
      String id = started.json().get("id").asString();
      JsonNode done = http.awaitEnded(id);

      assertThat(done.get("status").asString()).as("in one attempt, not retried for ever").isEqualTo("COMPLETED");
      assertThat(done.at("/counts/failed").asLong()).isEqualTo(1);
      assertThat(http.get("/api/operations/" + id + "/errors").body())
          .contains("Shopify product " + bad.id + " (price-not-a-number)").contains("price").contains("twelve");
    } finally {
      SHOP.delete(SHOP.products().indexOf(bad)); // the other tests count the shop's products as stored
    }
  }

  @Test
  void badRequestsNameTheField() {
    assertProblem(http.post("/api/operations/shopify-sync", "{}"), "shop");
    assertProblem(http.post("/api/operations/shopify-sync", "{\"shop\": \"other.myshopify.com\"}"), "shop");
    assertProblem(http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"sometimes\"}"), "mode");
  }

  @Test
  void signedWebhooksAreAppliedOnceAndUnsignedOnesChangeNothing() throws Exception {
    SHOP.addProducts(20);
    String full = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}").json().get("id").asString();
    http.awaitEnded(full);
    FakeShopify.FakeProduct gone = SHOP.products().get(0);
    String deletion = "{\"id\": " + gone.id + "}";

    Http.Response forged = webhook("products/delete", "d-1", deletion, sign("not the secret", deletion));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.contentType()).startsWith("application/problem+json");
    assertThat(deleted(gone.id)).as("a forged webhook changes nothing").isFalse();

    assertThat(webhook("products/delete", "d-1", deletion, sign(SECRET, deletion)).body()).contains("accepted");
    assertThat(deleted(gone.id)).isTrue();
    jdbc.sql("update products set deleted_at = null where shopify_id = ?").param(gone.id).update();
    assertThat(webhook("products/delete", "d-1", deletion, sign(SECRET, deletion)).body())
        .as("a repeated delivery is ignored").contains("duplicate");
    assertThat(deleted(gone.id)).isFalse();

    SHOP.update(3, p -> p.title = "Changed in Shopify");
    String update = "{\"id\": " + SHOP.products().get(3).id + "}";
    long syncsBefore = syncs();
    assertThat(webhook("products/update", "u-1", update, sign(SECRET, update)).status()).isEqualTo(200);

    http.awaitOperation(latestSync(syncsBefore), op -> op.get("status").asString().equals("COMPLETED"));
    assertThat(jdbc.sql("select title from products where shopify_id = ?").param(SHOP.products().get(3).id).query(String.class).single())
        .isEqualTo("Changed in Shopify");
  }

  @Test
  void aSignedBodyReplayedUnderNewDeliveryHeadersIsAppliedOnce() throws Exception {
    SHOP.addProducts(5);
    http.awaitEnded(http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}").json().get("id").asString());
    FakeShopify.FakeProduct gone = SHOP.products().get(SHOP.products().size() - 1);
    String deletion = "{\"id\": " + gone.id + "}";

    assertThat(webhook("products/delete", "r-1", deletion, sign(SECRET, deletion)).body()).contains("accepted");
    assertThat(deleted(gone.id)).isTrue();
    jdbc.sql("update products set deleted_at = null where shopify_id = ?").param(gone.id).update();

    // The HMAC covers the body only: a replay may carry any webhook id, event id and trigger time.
    Http.Response replay = webhook("products/delete", "r-2", deletion, sign(SECRET, deletion));
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.body()).as("the same signed body is the same delivery").contains("duplicate");
    assertThat(deleted(gone.id)).as("a replay under new headers changes nothing").isFalse();
  }

  @Test
  void aStaleDeliveryIsAcknowledgedWithoutEffectAndOneWithoutTriggerTimeIsRefused() throws Exception {
    SHOP.addProducts(5);
    http.awaitEnded(http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}").json().get("id").asString());
    FakeShopify.FakeProduct gone = SHOP.products().get(SHOP.products().size() - 2);
    String deletion = "{\"id\": " + gone.id + "}";

    Http.Response stale = webhook("products/delete", "s-1", deletion, sign(SECRET, deletion), Instant.now().minus(Duration.ofDays(2)));
    assertThat(stale.status()).as("2xx, so Shopify stops retrying a delivery that only gets older").isEqualTo(200);
    assertThat(stale.body()).contains("stale");
    assertThat(deleted(gone.id)).as("a delivery triggered outside the window changes nothing").isFalse();

    Http.Response future = webhook("products/delete", "s-2", deletion, sign(SECRET, deletion), Instant.now().plus(Duration.ofDays(2)));
    assertThat(future.body()).contains("stale");
    assertThat(deleted(gone.id)).isFalse();

    Http.Response undated = http.post("/api/webhooks/shopify", deletion, Map.of("X-Shopify-Topic", "products/delete",
        "X-Shopify-Webhook-Id", "s-3", "X-Shopify-Shop-Domain", "fake.myshopify.com", "X-Shopify-Hmac-Sha256", sign(SECRET, deletion)));
    assertProblem(undated, "X-Shopify-Triggered-At");
    assertThat(deleted(gone.id)).isFalse();

    assertThat(webhook("products/delete", "s-4", deletion, sign(SECRET, deletion)).body())
        .as("the stale deliveries were not remembered: a fresh one applies").contains("accepted");
    assertThat(deleted(gone.id)).isTrue();
  }

  @Test
  void aBatchUpdatePushesItsPricesToShopify() {
    SHOP.addProducts(10);
    http.awaitEnded(http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}").json().get("id").asString());
    FakeShopify.FakeProduct target = SHOP.products().get(SHOP.products().size() - 1);

    Http.Response started = http.post("/api/operations/batch-update", "{\"filter\": {\"handles\": [\"" + target.handle + "\"]},"
        + " \"changes\": {\"price\": {\"set\": \"42.00\"}}, \"pushToShopify\": true}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertThat(http.awaitEnded(started.json().get("id").asString()).get("status").asString()).isEqualTo("COMPLETED");

    FakeShopify.FakeProduct pushed = SHOP.products().stream().filter(p -> p.id == target.id).findFirst().orElseThrow();
    assertThat(pushed.variants).isNotEmpty().allSatisfy(v -> assertThat(v.price()).isEqualTo("42.00"));
  }

  private Http.Response webhook(String topic, String id, String body, String hmac) {
    return webhook(topic, id, body, hmac, Instant.now());
  }

  private Http.Response webhook(String topic, String id, String body, String hmac, Instant triggeredAt) {
    return http.post("/api/webhooks/shopify", body, Map.of("X-Shopify-Topic", topic, "X-Shopify-Webhook-Id", id,
        "X-Shopify-Event-Id", "event-" + id, "X-Shopify-Shop-Domain", "fake.myshopify.com",
        "X-Shopify-Hmac-Sha256", hmac, "X-Shopify-Triggered-At", triggeredAt.toString()));
  }

  private static String sign(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  private boolean deleted(long shopifyId) {
    return jdbc.sql("select deleted_at is not null from products where shopify_id = ?").param(shopifyId).query(Boolean.class).single();
  }

  private long syncs() {
    return jdbc.sql("select count(*) from operations where type = 'SHOPIFY_SYNC'").query(Long.class).single();
  }

  /** The id of the sync started after {@code before} syncs existed, once there is one. */
  private String latestSync(long before) {
    Http.await("a sync started by the webhook", this::syncs, n -> n > before);
    return jdbc.sql("select id::text from operations where type = 'SHOPIFY_SYNC' order by created_at desc limit 1")
        .query(String.class).single();
  }

  private static void assertProblem(Http.Response response, String field) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body()).contains("\"" + field + "\"");
  }
}
