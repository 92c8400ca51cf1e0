package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * SQL in every field a user controls is data, never SQL: values reach PostgreSQL only as bind
 * parameters, whichever path (filters, CSV cells, query parameters) they take.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class HostileInputTest {

  private static final String INJECTION = "x' or '1'='1'; delete from products; --";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
    jdbc.sql("insert into products (handle, title, vendor) values (?, 'Victim', 'Acme')").param("victim-" + UUID.randomUUID()).update();
  }

  @Test
  void sqlInABatchFilterMatchesNothingAndChangesNothing() {
    long products = count("products");

    Http.Response vendor = http.post("/api/operations/batch-update", "{\"filter\": {\"vendor\": \"" + INJECTION + "\"},"
        + " \"changes\": {\"status\": {\"set\": \"draft\"}}, \"dryRun\": true}");
    Http.Response tag = http.post("/api/operations/batch-update", "{\"filter\": {\"tag\": \"" + INJECTION + "\", \"handles\": [\""
        + INJECTION + "\"]}, \"changes\": {\"tags\": {\"add\": [\"" + INJECTION + "\"]}}, \"dryRun\": true}");

    assertThat(vendor.status()).isEqualTo(200);
    assertThat(vendor.json().get("products").asLong()).isZero();
    assertThat(tag.json().get("products").asLong()).isZero();
    assertThat(count("products")).isEqualTo(products);
  }

  @Test
  void sqlInCsvCellsIsStoredVerbatim() {
    String handle = "bobby-" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Vendor,Variant SKU,Variant Price\n" + handle + ",\"Robert'); drop table products; --\",\""
        + INJECTION + "\"," + handle + "-1,5.00\n";

    String id = http.upload("/api/operations/import", "file", "tables.csv", csv.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
    http.awaitEnded(id);

    assertThat(jdbc.sql("select title || '|' || vendor from products where handle = ?").param(handle).query(String.class).single())
        .isEqualTo("Robert'); drop table products; --|" + INJECTION);
  }

  @Test
  void sqlInQueryParametersIsA400() {
    long operations = count("operations");

    Http.Response type = http.get("/api/operations?type=import'%20or%20'1'='1");
    Http.Response status = http.get("/api/operations?status=RUNNING';%20delete%20from%20operations;--");

    assertThat(type.status()).isEqualTo(400);
    assertThat(status.status()).isEqualTo(400);
    assertThat(count("operations")).isGreaterThanOrEqualTo(operations); // nothing deleted
  }

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
