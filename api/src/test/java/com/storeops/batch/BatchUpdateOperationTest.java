package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Batch updates through the REST API and the workflow on the embedded Temporal and PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.batch.chunk-products=7")
@ActiveProfiles("test")
class BatchUpdateOperationTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Http http;
  String vendor;

  @BeforeEach
  void catalogue() {
    http = new Http(port);
    vendor = "v-" + UUID.randomUUID();
    products(vendor, 30);
  }

  @Test
  void aDryRunCountsAndShowsBeforeAndAfterAndWritesNothing() {
    List<String> before = state(vendor);

    Http.Response r = http.post("/api/operations/batch-update", "{\"filter\": {\"vendor\": \"" + vendor + "\"},"
        + " \"changes\": {\"price\": {\"percent\": -10}}, \"dryRun\": true}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("products").asLong()).isEqualTo(30);
    assertThat(r.json().get("variants").asLong()).isEqualTo(60);
    assertThat(r.json().get("sample")).hasSize(10);
    assertThat(r.json().at("/sample/0/priceBefore").decimalValue()).isEqualByComparingTo("10.00");
    assertThat(r.json().at("/sample/0/priceAfter").decimalValue()).isEqualByComparingTo("9.00");
    assertThat(state(vendor)).isEqualTo(before);
  }

  @Test
  void everyKindOfChangeAppliesAndARevertPutsEverythingBack() {
    List<String> before = state(vendor);

    JsonNode done = run("{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"price\": {\"percent\": -15},"
        + " \"compareAtPrice\": {\"set\": \"25.00\"}, \"tags\": {\"add\": [\"sale\"], \"remove\": [\"a\"]},"
        + " \"status\": {\"set\": \"draft\"}, \"inventory\": {\"add\": 3}}}");

    assertThat(done.at("/progress/done").asLong()).isEqualTo(30);
    assertThat(done.at("/counts/succeeded").asLong()).as("variants changed").isEqualTo(60);
    assertThat(state(vendor)).allSatisfy(row -> assertThat(row).containsPattern("\\|draft\\|\\{b,(odd,)?sale}\\|"));
    assertThat(jdbc.sql("select string_agg(distinct v.price || '/' || v.compare_at_price || '/' || v.inventory_quantity, ',')"
        + " from product_variants v join products p on p.id = v.product_id where p.vendor = ?").param(vendor).query(String.class).single())
        .as("10.00 -15 % = 8.50 and 20.00 -15 % = 17.00, rounded to cents").isEqualTo("17.00/25.00/5,8.50/25.00/5");

    Http.Response revert = http.post("/api/operations/" + done.get("id").asString() + "/revert", "");
    assertThat(revert.status()).isEqualTo(202);
    assertThat(http.awaitEnded(revert.json().get("id").asString()).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(state(vendor)).isEqualTo(before);
    assertThat(http.post("/api/operations/" + done.get("id").asString() + "/revert", "").status()).as("only once").isEqualTo(409);
  }

  @Test
  void setAndAddChangeExactlyTheFilteredVariants() {
    String sku = vendor + "-3-1";
    run("{\"filter\": {\"skus\": [\"" + sku + "\"]}, \"changes\": {\"price\": {\"add\": \"1.25\"}, \"inventory\": {\"set\": 0}}}");
    run("{\"filter\": {\"vendor\": \"" + vendor + "\", \"tag\": \"odd\"}, \"changes\": {\"price\": {\"set\": 5}}}");

    assertThat(price(vendor + "-3-1")).as("odd product: set after add").isEqualByComparingTo("5.00");
    assertThat(price(vendor + "-4-1")).as("even product, other SKU: untouched").isEqualByComparingTo("10.00");
    assertThat(price(vendor + "-5-2")).isEqualByComparingTo("5.00");
    assertThat(jdbc.sql("select inventory_quantity from product_variants where sku = ?").param(sku).query(Integer.class).single()).isZero();
    assertThat(jdbc.sql("select inventory_quantity from product_variants where sku = ?").param(vendor + "-3-2").query(Integer.class).single())
        .as("the product's other variant was not in the SKU filter").isEqualTo(2);
  }

  @Test
  void compareAtPricesAreSetThenCleared() {
    run("{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"compareAtPrice\": {\"set\": 30}}}");
    assertThat(jdbc.sql("select count(*) from product_variants v join products p on p.id = v.product_id"
        + " where p.vendor = ? and v.compare_at_price = 30").param(vendor).query(Long.class).single()).isEqualTo(60);

    run("{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"compareAtPrice\": {\"clear\": true}}}");

    assertThat(jdbc.sql("select count(*) from product_variants v join products p on p.id = v.product_id"
        + " where p.vendor = ? and v.compare_at_price is not null").param(vendor).query(Long.class).single()).isZero();
  }

  @Test
  void productsAddedWhileABatchRunsAreNotPartOfIt() {
    String big = "snap-" + UUID.randomUUID();
    products(big, 3_000); // about 430 chunks of 7: still running when the late product arrives
    String id = http.post("/api/operations/batch-update", "{\"filter\": {\"vendor\": \"" + big + "\"},"
        + " \"changes\": {\"price\": {\"add\": 1}}}").json().get("id").asString();
    http.awaitOperation(id, op -> op.at("/progress/done").asLong() > 0);

    jdbc.sql("insert into products (handle, title, vendor) values (?, 'Late', ?)").param(big + "-late").param(big).update();
    jdbc.sql("insert into product_variants (product_id, sku, price) select id, handle, 10.00 from products where handle = ?")
        .param(big + "-late").update();
    long doneWhenInserted = http.get("/api/operations/" + id).json().at("/progress/done").asLong();
    JsonNode done = http.awaitEnded(id);

    assertThat(doneWhenInserted).as("the late product arrived mid-run").isLessThan(3_000);

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/progress/done").asLong()).isEqualTo(3_000);
    assertThat(price(big + "-late")).as("inserted after the snapshot").isEqualByComparingTo("10.00");
  }

  @Test
  void aFilterMatchingNothingCompletesWithZeroCounts() {
    JsonNode done = run("{\"filter\": {\"vendor\": \"nobody-" + UUID.randomUUID() + "\"}, \"changes\": {\"status\": {\"set\": \"archived\"}}}");

    assertThat(done.at("/progress/done").asLong()).isZero();
    assertThat(done.at("/progress/total").asLong()).isZero();
  }

  @Test
  void cancelStopsAtAChunkBoundaryWithConsistentCounts() {
    String big = "big-" + UUID.randomUUID();
    products(big, 20_000); // long enough for the cancel to arrive mid-way (heartbeats reach Temporal every 3 s)
    String id = http.post("/api/operations/batch-update", "{\"filter\": {\"vendor\": \"" + big + "\"},"
        + " \"changes\": {\"price\": {\"add\": 1}}}").json().get("id").asString();
    http.awaitOperation(id, op -> op.at("/progress/done").asLong() > 0);

    assertThat(http.post("/api/operations/" + id + "/cancel", "").status()).isEqualTo(202);
    JsonNode done = http.awaitOperation(id, op -> op.get("status").asString().equals("CANCELED"));

    long changedProducts = jdbc.sql("select count(distinct p.id) from products p join product_variants v on v.product_id = p.id"
        + " where p.vendor = ? and v.price in (11.00, 21.00)").param(big).query(Long.class).single();
    long halfChanged = jdbc.sql("select count(*) from (select p.id from products p join product_variants v on v.product_id = p.id"
        + " where p.vendor = ? group by p.id having count(*) filter (where v.price in (11.00, 21.00)) = 1) x").param(big).query(Long.class).single();
    assertThat(changedProducts).isLessThan(20_000).isEqualTo(done.at("/progress/done").asLong());
    assertThat(changedProducts % 7).as("whole chunks of 7 products").isZero();
    assertThat(halfChanged).as("no product half changed").isZero();
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(2 * changedProducts);
  }

  @Test
  void badRequestsAre400sNamingTheField() {
    String filter = "\"filter\": {\"vendor\": \"" + vendor + "\"}";
    assertProblem("{" + filter + ", \"changes\": {\"prise\": {\"set\": 1}}}", "changes.prise");
    assertProblem("{" + filter + ", \"changes\": {}}", "changes");
    assertProblem("{" + filter + ", \"changes\": {\"price\": {\"set\": 1, \"percent\": 5}}}", "changes.price");
    assertProblem("{" + filter + ", \"changes\": {\"price\": {\"add\": -15}}}", "changes.price.add");
    assertProblem("{" + filter + ", \"changes\": {\"price\": {\"set\": \"cheap\"}}}", "changes.price.set");
    assertProblem("{\"changes\": {\"status\": {\"set\": \"draft\"}}}", "filter");
    assertProblem("{\"filter\": {\"colour\": \"red\"}, \"changes\": {\"status\": {\"set\": \"draft\"}}}", "filter.colour");
    assertProblem("{" + filter + ", \"changes\": {\"status\": {\"set\": \"sold\"}}}", "changes.status.set");
    assertProblem("{" + filter + ", \"changes\": {\"tags\": {\"add\": [\"x\"], \"remove\": [\"x\"]}}}", "changes.tags");
    Http.Response malformed = http.post("/api/operations/batch-update", "{\"filter\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(state(vendor)).allSatisfy(row -> assertThat(row).contains("|active|"));
  }

  private JsonNode run(String body) {
    Http.Response started = http.post("/api/operations/batch-update", body);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    JsonNode done = http.awaitEnded(started.json().get("id").asString());
    assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
    return done;
  }

  private void assertProblem(String body, String field) {
    Http.Response r = http.post("/api/operations/batch-update", body);
    assertThat(r.status()).as(body).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("field").asString()).as(body).isEqualTo(field);
  }

  /** {@code count} products of {@code vendor}, each with two variants: 10.00 and 20.00, inventory 2. */
  private void products(String vendor, int count) {
    jdbc.sql("""
        insert into products (handle, title, vendor, tags, status)
        select :v || '-' || i, 'P' || i, :v, case when i % 2 = 1 then '{a,b,odd}'::text[] else '{a,b}'::text[] end, 'active'
        from generate_series(1, :n) i""").param("v", vendor).param("n", count).update();
    jdbc.sql("""
        insert into product_variants (product_id, sku, position, price, inventory_quantity)
        select p.id, p.handle || '-' || k, k, 10.00 * k, 2 from products p, generate_series(1, 2) k where p.vendor = ?""")
        .param(vendor).update();
  }

  private List<String> state(String vendor) {
    return jdbc.sql("select p.handle || '|' || p.status || '|' || p.tags::text || '|' || string_agg(v.sku || '=' || v.price || '/'"
        + " || coalesce(v.compare_at_price::text, '-') || '/' || v.inventory_quantity, ',' order by v.id)"
        + " from products p join product_variants v on v.product_id = p.id where p.vendor = ? group by p.id order by p.id")
        .param(vendor).query(String.class).list();
  }

  private java.math.BigDecimal price(String sku) {
    return jdbc.sql("select price from product_variants where sku = ?").param(sku).query(java.math.BigDecimal.class).single();
  }
}
