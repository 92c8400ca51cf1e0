package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.shopify.FakeShopify;
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

/** A Shopify sync through the REST API and the sync workflow, against the fake Shopify on 127.0.0.1. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ShopifySyncOperationTest {

  private static final FakeShopify SHOP = new FakeShopify(1_000_000, 1_000_000);

  @DynamicPropertySource
  static void shopify(DynamicPropertyRegistry registry) {
    registry.add("storeops.shopify.shop", () -> "fake.myshopify.com");
    registry.add("storeops.shopify.access-token", () -> FakeShopify.TOKEN);
    registry.add("storeops.shopify.base-url", () -> SHOP.baseUrl().toString());
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
    assertThat(done.get("status").asString()).isEqualTo("completed");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(300);
    assertThat(done.at("/progress/total").asLong()).isEqualTo(300);
    assertThat(jdbc.sql("select count(*) from products where shopify_id is not null and deleted_at is null").query(Long.class).single())
        .isEqualTo(300);

    Http.Response next = http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\"}");
    assertThat(next.status()).as("after it ended, a new sync starts").isEqualTo(202);
    assertThat(http.awaitEnded(next.json().get("id").asString()).get("status").asString()).isEqualTo("completed");
  }

  @Test
  void badRequestsNameTheField() {
    assertProblem(http.post("/api/operations/shopify-sync", "{}"), "shop");
    assertProblem(http.post("/api/operations/shopify-sync", "{\"shop\": \"other.myshopify.com\"}"), "shop");
    assertProblem(http.post("/api/operations/shopify-sync", "{\"shop\": \"fake.myshopify.com\", \"mode\": \"sometimes\"}"), "mode");
  }

  private static void assertProblem(Http.Response response, String field) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body()).contains("\"" + field + "\"");
  }
}
