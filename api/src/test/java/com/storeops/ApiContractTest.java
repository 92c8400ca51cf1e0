package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The API's contract as a client sees it with STOREOPS_API_KEY, a Temporal UI and a small upload
 * limit set: the OpenAPI document, bearer auth on what changes things, Idempotency-Key, and a 4xx
 * problem+json for each kind of user mistake — never a 500, never an operation started by it. The
 * cases that need only the web layer (401 without the key, 404 for unknown ids, 409 for cancelling
 * an ended operation) are in com.storeops.operations.OperationsApiTest; these need the whole stack.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "storeops.api.key=" + ApiContractTest.KEY,
    "storeops.temporal.ui-url=http://temporal-ui.example:8088/",
    "spring.servlet.multipart.max-file-size=64KB",
    "spring.servlet.multipart.max-request-size=64KB"})
@ActiveProfiles("test")
class ApiContractTest {

  static final String KEY = "contract-test-key-7f3a";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void openApiDocumentIsServedValidAndNamesEveryEndpoint() {
    Http.Response docs = http.get("/v3/api-docs");
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(docs.body());

    assertThat(docs.status()).isEqualTo(200);
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI().getPaths()).containsKeys(
        "/api/operations", "/api/operations/{id}", "/api/operations/{id}/cancel", "/api/operations/{id}/errors",
        "/api/operations/import", "/api/operations/shopify-sync", "/api/operations/batch-update",
        "/api/operations/{id}/revert", "/api/operations/icon-generation", "/api/products/{id}/icons/{size}.png",
        "/api/health/pool", "/api/webhooks/shopify", "/api/exports", "/api/exports/{id}/file");
    assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  @Test
  void healthIconsAndWebhooksNeedNoApiKeyWhileOperationsAndMetricsDo() {
    Http.Response webhook = http.post("/api/webhooks/shopify", "{}", Map.of("X-Shopify-Topic", "products/update"));

    assertThat(http.get("/api/health/pool").status()).isEqualTo(200);
    assertThat(http.get("/actuator/health").status()).isEqualTo(200);
    assertThat(http.get("/api/products/1/icons/thumb.png").status()).isEqualTo(404); // reached the controller
    assertThat(webhook.status()).isEqualTo(401);
    assertThat(webhook.json().get("detail").asString()).doesNotContain("STOREOPS_API_KEY"); // refused by HMAC, not by key
    // Operations hold parameters and the errors CSV cell values of the shop; metrics describe it.
    for (String shopData : new String[] {"/api/operations", "/api/operations/" + UUID.randomUUID(),
        "/api/operations/" + UUID.randomUUID() + "/errors", "/actuator/prometheus", "/actuator/metrics"}) {
      Http.Response refused = http.get(shopData);
      assertThat(refused.status()).as(shopData).isEqualTo(401);
      assertThat(refused.contentType()).as(shopData).startsWith("application/problem+json");
    }
    assertThat(http.get("/api/operations", AUTH).status()).isEqualTo(200);
    assertThat(http.get("/actuator/prometheus", AUTH).status()).isEqualTo(200);
  }

  /**
   * A stranger's upload is refused after its headers, before its body: the 401 arrives while most
   * of the declared body has not even been sent, so none of it was spooled.
   */
  @Test
  void anUploadWithoutTheKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
    long before = operations();
    String boundary = "storeops-unsent";
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
        + "Content-Type: text/csv\r\n\r\nHandle,Title\r\n";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000); // the old order waited for the rest of the body: this read timed out
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/operations/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
          + "Content-Length: 60000\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));

      assertThat(in.readLine()).startsWith("HTTP/1.1 401");
    }
    assertThat(operations()).isEqualTo(before);
  }

  @Test
  void anOversizeWebhookIsA413BeforeItsHmacIsChecked() {
    byte[] huge = new byte[3 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');

    Http.Response r = http.post("/api/webhooks/shopify", new String(huge, StandardCharsets.US_ASCII),
        Map.of("X-Shopify-Topic", "products/update", "X-Shopify-Hmac-Sha256", "AAAA"));

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  /** What schemathesis found: each was a 500 before. */
  @Test
  void aMultipartTypeWithoutBoundaryAndAParameterWithoutNameAre400Problems() {
    Http.Response noBoundary = http.get("/api/health/pool", Map.of("Content-Type", "multipart/form-data"));
    Http.Response namelessParameter = http.get("/api/operations?cursor=&=null", AUTH);

    assertThat(noBoundary.status()).isEqualTo(400);
    assertThat(noBoundary.contentType()).startsWith("application/problem+json");
    assertThat(namelessParameter.status()).isEqualTo(400);
    assertThat(namelessParameter.contentType()).startsWith("application/problem+json");
  }

  @Test
  void theDocumentSaysWhichFieldsMayBeNull() {
    JsonNode schemas = http.get("/v3/api-docs").json().path("components").path("schemas");

    assertThat(schemas.at("/OperationPage/properties/nextCursor/type").toString()).contains("null");
    assertThat(schemas.at("/OperationView/properties/finishedAt/type").toString()).contains("null");
    assertThat(schemas.at("/Progress/properties/total/type").toString()).contains("null");
  }

  /** What schemathesis found next: an operation's parameters are its request, a JSON object. */
  @Test
  void theDocumentSaysAnOperationsParametersAreAnObject() {
    http.post("/api/exports?generation=legacy", "", Map.of("Authorization", "Bearer " + KEY));
    JsonNode listed = http.get("/api/operations", Map.of("Authorization", "Bearer " + KEY)).json().path("operations");
    assertThat(listed).isNotEmpty().allSatisfy(op -> assertThat(op.path("parameters").isObject()).isTrue());

    JsonNode schemas = http.get("/v3/api-docs").json().path("components").path("schemas");
    assertThat(schemas.at("/OperationView/properties/parameters/type").toString()).contains("object").doesNotContain("string");
  }

  @Test
  void retryWithTheSameIdempotencyKeyAnswersTheSameOperation() {
    String key = UUID.randomUUID().toString();
    Map<String, String> headers = Map.of("Authorization", "Bearer " + KEY, "Idempotency-Key", key);
    long before = operations();

    Http.Response first = http.post("/api/operations/icon-generation", "{\"productIds\": [1, 2]}", headers);
    Http.Response retry = http.post("/api/operations/icon-generation", "{\"productIds\": [1, 2]}", headers);
    Http.Response reused = http.post("/api/operations/icon-generation", "{\"productIds\": [3]}", headers);

    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.contentType()).startsWith("application/problem+json");
    assertThat(operations()).isEqualTo(before + 1);
  }

  @Test
  void refusedRequestFreesItsIdempotencyKeyAndABadKeyIsNamed() {
    Map<String, String> headers = Map.of("Authorization", "Bearer " + KEY, "Idempotency-Key", "k-" + UUID.randomUUID());

    Http.Response refused = http.post("/api/operations/icon-generation", "{\"all\": true, \"productIds\": [1]}", headers);
    Http.Response fixed = http.post("/api/operations/icon-generation", "{\"all\": true}", headers);
    Http.Response badKey = http.post("/api/operations/icon-generation", "{\"all\": true}",
        Map.of("Authorization", "Bearer " + KEY, "Idempotency-Key", "x".repeat(300)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(fixed.status()).isEqualTo(202);
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.json().get("field").asString()).isEqualTo("Idempotency-Key");
  }

  @Test
  void malformedJsonAndWrongTypesAre400ProblemsNamingTheField() {
    Http.Response malformed = http.post("/api/operations/batch-update", "{\"filter\": ", AUTH);
    Http.Response wrongType = http.post("/api/operations/icon-generation", "{\"productIds\": \"seven\"}", AUTH);
    Http.Response unknownField = http.post("/api/operations/icon-generation", "{\"all\": true, \"colour\": 1}", AUTH);

    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("field").asString()).isEqualTo("productIds");
    assertThat(unknownField.json().get("field").asString()).isEqualTo("colour");
  }

  @Test
  void oversizeUploadIsA413ProblemAndImportsNothing() {
    long before = operations();

    Http.Response r = http.upload("/api/operations/import", "file", "big.csv", new byte[200 * 1024], AUTH);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(operations()).isEqualTo(before);
  }

  /**
   * The same limit for a file sent as the whole body. A body that states its length is refused
   * before anything is recorded; one that does not is counted as it is staged, and the import it
   * began ends FAILED with its staged parts deleted.
   */
  @Test
  void oversizeCsvBodyIsA413ProblemAndImportsNothingWithOrWithoutItsLength() {
    byte[] big = ("Handle,Title\n" + "x,y\n".repeat(60_000)).getBytes(StandardCharsets.UTF_8);
    long before = operations();

    Http.Response stated = http.send("/api/operations/import?fileName=big.csv", "text/csv", big, false, AUTH);
    assertThat(stated.status()).isEqualTo(413);
    assertThat(stated.contentType()).startsWith("application/problem+json");
    assertThat(operations()).as("refused by its length: nothing recorded").isEqualTo(before);

    Http.Response counted = http.send("/api/operations/import?fileName=big.csv", "text/csv", big, true, AUTH);
    assertThat(counted.status()).isEqualTo(413);
    assertThat(counted.contentType()).startsWith("application/problem+json");
    assertThat(jdbc.sql("select status from operations order by created_at desc limit 1").query(String.class).single())
        .isEqualTo("FAILED");
    assertThat(jdbc.sql("select count(*) from import_uploads u join operations o on o.id = u.operation_id where o.status = 'FAILED'")
        .query(Long.class).single()).as("its staged parts deleted").isZero();
  }

  @Test
  void operationLinksToItsWorkflowInTheTemporalUi() {
    JsonNode op = http.post("/api/operations/icon-generation", "{\"productIds\": [5]}", AUTH).json();

    assertThat(op.get("workflowId").asString()).matches("icon-generation-1-products-[0-9a-f]{8}");
    assertThat(op.get("temporalUiUrl").asString())
        .isEqualTo("http://temporal-ui.example:8088/namespaces/default/workflows/" + op.get("workflowId").asString());
  }

  private long operations() {
    return jdbc.sql("select count(*) from operations").query(Long.class).single();
  }
}
