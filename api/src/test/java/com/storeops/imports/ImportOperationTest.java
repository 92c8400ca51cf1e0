package com.storeops.imports;

import com.storeops.Http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

/** A CSV import through the REST API, the workflow on the embedded Temporal and real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ImportOperationTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void uploadedCsvIsImportedBadProductsAreReportedByLineAndARepeatedSkuIsAWarning() {
    String p = "p" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src\n"
        + p + "-a,A,Acme,Size,S," + p + "-A1,10.00,https://cdn/" + p + "a.png\n"
        + p + "-a,,,,M," + p + "-A2,11.00,\n"
        + p + "-b,B,Acme,Title,Default Title," + p + "-B1,oops,\n"
        + p + "-c,C,Acme,Title,Default Title," + p + "-C1,3.50,\n"
        + p + "-d,D,Acme,Title,Default Title," + p + "-A2,4.00,\n";

    Http.Response started = http.upload("/api/operations/import", "file", "products.csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(started.status()).isEqualTo(202);
    String id = started.json().get("id").asString();
    JsonNode done = http.awaitEnded(id);

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(4);
    assertThat(done.at("/progress/total").asLong()).isEqualTo(4);
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(3);
    assertThat(done.at("/counts/failed").asLong()).isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from product_variants where sku like ?").param(p + "%").query(Long.class).single()).isEqualTo(4);
    assertThat(jdbc.sql("select count(*) from products where handle = ?").param(p + "-b").query(Long.class).single()).isZero();
    Http.Response errors = http.get("/api/operations/" + id + "/errors");
    assertThat(errors.contentType()).startsWith("text/csv");
    assertThat(errors.body()).contains("line 4,Variant Price,oops,not a price")
        .contains("line 3,Variant SKU," + p + "-A2,\"warning: SKU also on line 6; kept, as Shopify allows a SKU on several variants\"");
    assertThat(jdbc.sql("select count(*) from import_uploads where operation_id = ?::uuid").param(id).query(Long.class).single())
        .as("staged upload deleted").isZero();
  }

  /**
   * Values PostgreSQL refuses on every attempt — a NUL byte in a cell, a handle too long for its
   * index — are those products' errors with their lines; the import completes instead of retrying
   * its chunk without end.
   */
  @Test
  void valuesTheDatabaseRefusesAreTheirProductsErrorsAndTheImportCompletes() {
    String p = "n" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder longHandle = new StringBuilder(p);
    java.util.Random random = new java.util.Random(7);
    while (longHandle.length() < 6_000) {
      longHandle.append(Integer.toString(random.nextInt(36), 36));
    }
    String csv = "Handle,Title,Variant SKU\n"
        + p + "-nul,Bad\u0000title," + p + "-1\n"
        + longHandle + ",Long," + p + "-2\n"
        + p + "-ok,Fine," + p + "-3\n";

    String id = http.upload("/api/operations/import", "file", "bad.csv", csv.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
    JsonNode done = http.awaitEnded(id);

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(1);
    assertThat(done.at("/counts/failed").asLong()).isEqualTo(2);
    assertThat(http.get("/api/operations/" + id + "/errors").body())
        .contains("line 2,Title,Bad\\0title,")
        .contains("line 3,,,\"refused by the database: index row size");
  }

  @Test
  void fileWithoutTheRequiredColumnsFailsAndWritesNothing() {
    Http.Response started = http.upload("/api/operations/import", "file", "prices.csv", "Name,Price\nx,1\n".getBytes(StandardCharsets.UTF_8));
    JsonNode done = http.awaitEnded(started.json().get("id").asString());

    assertThat(done.get("status").asString()).isEqualTo("FAILED");
    assertThat(done.get("error").asString()).contains("needs a Handle");
    assertThat(done.at("/counts/succeeded").asLong()).isZero();
  }

  /** A script's upload: the CSV as the whole body, its name in the query; no multipart to parse, no temporary file. */
  @Test
  void aCsvSentAsTheRequestBodyIsImportedLikeAnUpload() {
    String p = "r" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Variant SKU,Variant Price\n" + p + "-a,A," + p + "-1,10.00\n" + p + "-b,B," + p + "-2,oops\n";

    Http.Response started = http.send("/api/operations/import?fileName=" + p + ".csv", "text/csv",
        csv.getBytes(StandardCharsets.UTF_8), true, Map.of());
    assertThat(started.status()).isEqualTo(202);
    JsonNode done = http.awaitEnded(started.json().get("id").asString());

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/parameters/fileName").asString()).isEqualTo(p + ".csv");
    assertThat(List.of(done.at("/counts/succeeded").asLong(), done.at("/counts/failed").asLong())).containsExactly(1L, 1L);
    assertThat(jdbc.sql("select handle from products where handle like ?").param(p + "%").query(String.class).list())
        .containsExactly(p + "-a");
  }

  @Test
  void anEmptyCsvBodyIsA400NamingTheField() {
    Http.Response r = http.send("/api/operations/import", "text/csv", new byte[0], false, Map.of());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("field").asString()).isEqualTo("file");
  }

  /** PostgreSQL stores no NUL in text: a name it would refuse is the client's mistake, not a 500. */
  @Test
  void aFileNameWithAControlCharacterIsA400NamingTheField() {
    Http.Response r = http.send("/api/operations/import?fileName=a%00b.csv", "text/csv", "Handle,Title\nx,y\n".getBytes(StandardCharsets.UTF_8),
        false, Map.of());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asString()).isEqualTo("fileName");
  }

  @Test
  void uploadWithoutAFileIsA400NamingTheField() {
    Http.Response r = http.upload("/api/operations/import", "other", "x.csv", "a".getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("field").asString()).isEqualTo("file");
  }
}
