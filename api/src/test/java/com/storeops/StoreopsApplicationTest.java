package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform in one process (api and worker roles, embedded PostgreSQL and Temporal). The
 * operations API's refusals (400, 404, 409) need neither and are pinned in OperationsApiTest.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class StoreopsApplicationTest {

  @LocalServerPort int port;
  @Autowired JdbcAggregateTemplate aggregates;
  @Autowired JdbcClient jdbc;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void poolHealthShowsPoolBudgetAndEveryQueue() {
    Http.Response r = http.get("/api/health/pool");

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.at("/pool/max").asInt()).isEqualTo(15);
    assertThat(body.at("/pool/minIdle").asInt()).as("the pool is open in full, DB_POOL_SIZE + DB_MAX_OVERFLOW").isEqualTo(15);
    assertThat(body.at("/pool/total").asInt()).isEqualTo(15);
    assertThat(body.at("/reserve/connections").asInt()).as("what borrowers outside activities may hold").isEqualTo(3);
    assertThat(body.at("/pool/threadsAwaitingConnection").asInt()).isZero();
    assertThat(body.at("/pool/connectionTimeouts").asLong()).isZero();
    assertThat(body.at("/budget/apiReserve").asInt()).isEqualTo(3);
    assertThat(body.at("/budget/activities").asInt()).isEqualTo(12);
    assertThat(body.get("queues")).extracting(q -> q.get("queue").asString())
        .containsExactly("sync", "generation", "batch", "import");
    assertThat(body.get("queues")).extracting(q -> q.get("weight").asInt()).containsExactly(4, 3, 2, 1);
    assertThat(body.at("/queues/0/cap").asInt()).as("sync may use the whole budget").isEqualTo(12);
    assertThat(body.at("/queues/1/cap").asInt()).as("generation is capped at the cores")
        .isEqualTo(Math.min(12, Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void prometheusExposesPoolAndBudgetPerQueue() {
    Http.Response r = http.get("/actuator/prometheus");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .contains("hikaricp_connections_pending")
        .contains("hikaricp_connections_timeout_total")
        .contains("storeops_budget_permits")
        .contains("storeops_budget_waiting{application=\"storeops\",queue=\"sync\"}")
        .contains("storeops_budget_running{application=\"storeops\",queue=\"import\"}");
  }

  @Test
  void actuatorHealthIsUpWithDatabaseAndTemporal() {
    JsonNode health = http.get("/actuator/health").json();

    assertThat(health.at("/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/temporal/status").asString()).isEqualTo("UP");
  }

  @Test
  void operationsAreListedNewestFirstAndShownById() {
    UUID older = save(OperationType.IMPORT, Instant.parse("2031-01-01T00:00:00Z"));
    UUID newer = save(OperationType.IMPORT, Instant.parse("2031-01-01T00:00:01Z"));

    JsonNode list = http.get("/api/operations?type=import&limit=2").json();
    JsonNode one = http.get("/api/operations/" + older).json();

    assertThat(list.get("operations")).extracting(n -> n.get("id").asString()).containsExactly(newer.toString(), older.toString());
    assertThat(one.get("type").asString()).isEqualTo("import");
    assertThat(one.get("status").asString()).isEqualTo("PENDING");
    assertThat(one.at("/parameters/file").asString()).isEqualTo("products.csv");
    assertThat(one.at("/links/self").asString()).isEqualTo("/api/operations/" + older);
  }

  @Test
  void cursorWalksEveryPageOnceWhileNewOperationsArrive() {
    Instant t0 = Instant.parse("2032-01-01T00:00:00Z");
    List<String> saved = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      saved.add(0, save(OperationType.BATCH_UPDATE, t0.plusSeconds(i)).toString());
    }

    JsonNode first = http.get("/api/operations?type=batch-update&limit=2").json();
    save(OperationType.BATCH_UPDATE, t0.plusSeconds(60)); // newer than every page: must not shift them
    JsonNode second = http.get("/api/operations?type=batch-update&limit=2&cursor=" + first.get("nextCursor").asString()).json();
    JsonNode third = http.get("/api/operations?type=batch-update&limit=2&cursor=" + second.get("nextCursor").asString()).json();

    List<String> seen = new ArrayList<>();
    for (JsonNode page : List.of(first, second, third)) {
      page.get("operations").forEach(op -> seen.add(op.get("id").asString()));
    }
    assertThat(seen.subList(0, 5)).containsExactlyElementsOf(saved);
  }

  @Test
  void lastPageHasNoCursorAndStatusFiltersInAnyCase() {
    UUID id = save(OperationType.ICON_GENERATION, Instant.parse("2033-01-01T00:00:00Z"));

    JsonNode page = http.get("/api/operations?type=icon-generation&status=pending&limit=500").json();

    assertThat(page.get("operations")).extracting(n -> n.get("id").asString()).contains(id.toString());
    assertThat(page.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void errorsCsvListsEveryErrorInOrderAcrossPages() {
    UUID id = save(OperationType.IMPORT, Instant.parse("2030-06-01T00:00:00Z"));
    jdbc.sql("insert into operation_errors (operation_id, location, message)"
        + " select ?, 'line ' || n, 'bad' from generate_series(1, 2500) n order by n").param(id).update();

    Http.Response r = http.get("/api/operations/" + id + "/errors");

    String[] lines = r.body().split("\r\n");
    assertThat(r.contentType()).startsWith("text/csv");
    assertThat(lines).hasSize(2501);
    assertThat(lines[1]).isEqualTo("line 1,,,bad");
    assertThat(lines[2500]).isEqualTo("line 2500,,,bad");
  }

  private UUID save(OperationType type, Instant at) {
    UUID id = UUID.randomUUID();
    aggregates.insert(Operation.pending(id, type, type.slug() + "-" + id, new JsonDocument("{\"file\":\"products.csv\"}"), at));
    return id;
  }
}
