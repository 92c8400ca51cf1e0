package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.Catalog;
import com.storeops.shopify.FakeShopify;
import io.temporal.api.history.v1.History;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay where they were put. storeops runs with a distinctive database password (checked by
 * PostgreSQL with SCRAM), Shopify access token, API key and webhook secret, and does every kind of
 * operation, successful and failing, plus signed and forged webhooks and the health and metrics
 * endpoints. None of the four strings may then appear in the process's log, in any workflow history
 * on Temporal's dev server, or in any response the test received.
 */
class SecretsIT {

  static final String SHOP = "fake.myshopify.com";

  @Test
  void noSecretReachesTheLogAWorkflowHistoryOrAResponse() throws Exception {
    String token = "shpat_" + UUID.randomUUID().toString().replace("-", "");
    String webhookSecret = "whsec_" + UUID.randomUUID().toString().replace("-", "");
    try (FaultHarness harness = new FaultHarness("secrets"); FakeShopify shop = new FakeShopify(1e9, 1e9, token)) {
      shop.addProducts(30);
      Path csv = harness.dir.resolve("catalog.csv");
      Catalog.writeCsv(csv, "sec-", 50, 2);
      Files.writeString(csv, "sec-bad,Bad,sec-vendor,Size,S1,sec-bad-1,1,not-a-price,active\n", StandardOpenOption.APPEND);
      harness.startStoreops(Map.of("SHOPIFY_SHOP", SHOP, "SHOPIFY_ACCESS_TOKEN", token, "SHOPIFY_API_SECRET", webhookSecret,
          "SHOPIFY_BASE_URL", shop.baseUrl().toString(), "SHOPIFY_SYNC_INTERVAL", "0s", "SHOPIFY_BULK_POLL_INTERVAL", "1s",
          "SHOPIFY_WEBHOOK_DEBOUNCE", "1s"));

      String imported = completed(harness, harness.upload("/api/operations/import", csv).json().get("id").asString());
      assertThat(harness.get("/api/operations/" + imported + "/errors").body()).contains("not-a-price");
      completed(harness, harness.post("/api/operations/shopify-sync", "{\"shop\": \"" + SHOP + "\", \"mode\": \"full\"}").json().get("id").asString());
      completed(harness, harness.post("/api/operations/shopify-sync", "{\"shop\": \"" + SHOP + "\", \"mode\": \"incremental\"}").json().get("id").asString());
      String batch = completed(harness, harness.post("/api/operations/batch-update", "{\"filter\": {\"vendor\": \"Vendor 1\"},"
          + " \"changes\": {\"price\": {\"add\": 1}}, \"pushToShopify\": true}").json().get("id").asString());
      completed(harness, harness.post("/api/operations/" + batch + "/revert", "").json().get("id").asString());
      completed(harness, harness.post("/api/operations/icon-generation", "{\"all\": true, \"sizes\": [\"pico\"]}").json().get("id").asString());
      assertThat(shop.variantUpdates()).as("pushed to Shopify with the token").isPositive();

      byte[] update = "{\"id\": 1000}".getBytes(StandardCharsets.UTF_8);
      assertThat(webhook(harness, "products/update", update, sign(update, webhookSecret)).status()).isEqualTo(200);
      long deleted = shop.products().get(0).id;
      byte[] delete = ("{\"id\": " + deleted + "}").getBytes(StandardCharsets.UTF_8);
      assertThat(webhook(harness, "products/delete", delete, sign(delete, webhookSecret)).body()).contains("accepted");
      assertThat(webhook(harness, "products/delete", delete, sign(delete, "forged")).status()).isEqualTo(401);
      assertThat(harness.post("/api/operations/" + batch + "/cancel", "").status()).isEqualTo(409);
      assertThat(harness.post("/api/operations/" + batch + "/revert", new byte[0], Map.of("Authorization", "Bearer wrong")).status())
          .as("storeops checks the API key").isEqualTo(401);
      assertThat(harness.post("/api/operations/batch-update", "{\"filter\": {}, \"changes\": {}}").status()).isEqualTo(400);
      assertThat(harness.post("/api/operations/shopify-sync", "{\"shop\": \"other.myshopify.com\"}").status()).isEqualTo(400);
      for (String path : List.of("/api/operations?limit=500", "/api/health/pool", "/actuator/health", "/actuator/prometheus",
          "/actuator/metrics", "/actuator/info")) {
        assertThat(harness.get(path).status()).as(path).isEqualTo(200);
      }
      FaultHarness.await("the webhook's debounced sync, ended", Duration.ofSeconds(60), () -> ended(harness), n -> n == 7);
      assertThatThrownBy(() -> DriverManager.getConnection(harness.jdbcUrl(), "storeops", "wrong"))
          .as("PostgreSQL checks the password storeops uses").isInstanceOf(SQLException.class);

      String log = harness.log();
      // The dev server's visibility lists a closed run a moment after it closes.
      List<String> operations = operations(harness);
      List<FaultHarness.Run> runs = FaultHarness.await("every operation's run listed", Duration.ofSeconds(30), harness::histories,
          r -> r.stream().map(FaultHarness.Run::workflowId).toList().containsAll(operations));
      List<History> histories = runs.stream().map(FaultHarness.Run::history).toList();
      List<String> received = harness.received();
      System.out.printf("SecretsIT: searched %d log lines, %d workflow histories (%d events), %d response bodies%n",
          log.lines().count(), histories.size(), histories.stream().mapToInt(History::getEventsCount).sum(), received.size());
      assertThat(runs.stream().map(FaultHarness.Run::workflowId)).as("a history for every operation").containsAll(operations);

      Map<String, String> secrets = Map.of("database password", harness.dbPassword, "Shopify access token", token,
          "API key", harness.apiKey, "webhook secret", webhookSecret);
      secrets.forEach((name, secret) -> {
        assertThat(log).as("the log holds the %s", name).doesNotContain(secret);
        for (History h : histories) {
          // Payloads are JSON bytes inside the protobuf: ISO-8859-1 maps each byte to one char.
          assertThat(new String(h.toByteArray(), StandardCharsets.ISO_8859_1)).as("a history holds the %s", name).doesNotContain(secret);
        }
        assertThat(received).as("a response holds the %s", name).noneMatch(body -> body.contains(secret));
      });
    }
  }

  private static String completed(FaultHarness harness, String id) {
    assertThat(status(harness.awaitEnded(id, Duration.ofSeconds(120)))).as("operation %s", id).isEqualTo("COMPLETED");
    return id;
  }

  /** The workflow ids of the operations table, read by the test as the database's superuser. */
  private static List<String> operations(FaultHarness harness) {
    try (Connection c = harness.db(); ResultSet rs = c.createStatement().executeQuery("select workflow_id from operations")) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long ended(FaultHarness harness) {
    try (Connection c = harness.db(); ResultSet rs = c.createStatement().executeQuery(
        "select count(*) from operations where status in ('COMPLETED', 'FAILED', 'CANCELED', 'CANCELLED')")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FaultHarness.Response webhook(FaultHarness harness, String topic, byte[] body, String hmac) {
    return harness.post("/api/webhooks/shopify", body, Map.of("X-Shopify-Topic", topic, "X-Shopify-Shop-Domain", SHOP,
        "X-Shopify-Hmac-Sha256", hmac, "X-Shopify-Webhook-Id", UUID.randomUUID().toString(),
        "X-Shopify-Triggered-At", Instant.now().toString()));
  }

  private static String sign(byte[] body, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }
}
