package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Catalog;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL restarting under running work — a failover, a minor upgrade, the database's host
 * rebooting. While an import and a batch update run, PostgreSQL is stopped (every connection cut
 * mid-transaction) and kept down until both operations retry an activity that failed on it — the
 * retry waiting for a connection the database cannot give — then started again on the same
 * directory and port. Both operations must end COMPLETED with exact data, and the
 * pool must come back clean: no connection left checked out, nobody waiting, health UP.
 */
class PostgresRestartIT {

  static final int BASE_PRODUCTS = 30_000;
  static final int NEW_PRODUCTS = 40_000;

  @Test
  void operationsRunningThroughADatabaseRestartCompleteExactlyAndThePoolRecovers() throws Exception {
    try (FaultHarness harness = new FaultHarness("pg-restart")) {
      Catalog.writeCsv(harness.dir.resolve("base.csv"), "base-", BASE_PRODUCTS, 2);
      Catalog incoming = Catalog.writeCsv(harness.dir.resolve("new.csv"), "new-", NEW_PRODUCTS, 2);
      // Smaller batch chunks: the batch then runs long enough to be caught mid-way with the import.
      harness.startStoreops(Map.of("STOREOPS_BATCH_CHUNK_PRODUCTS", "250"));
      String base = harness.upload("/api/operations/import", harness.dir.resolve("base.csv")).json().get("id").asString();
      assertThat(status(harness.awaitEnded(base, Duration.ofSeconds(120)))).isEqualTo("COMPLETED");

      JsonNode batch = harness.post("/api/operations/batch-update",
          "{\"filter\": {\"vendor\": \"base-vendor\"}, \"changes\": {\"price\": {\"add\": \"1.00\"}}}").json();
      JsonNode load = harness.upload("/api/operations/import", harness.dir.resolve("new.csv")).json();
      List<JsonNode> running = List.of(batch, load);
      for (JsonNode op : running) {
        harness.awaitOperation(op.get("id").asString(), Duration.ofSeconds(60), o -> o.at("/progress/done").asLong() > 0);
      }

      Instant stopped = Instant.now();
      harness.stopPostgres();
      for (JsonNode op : running) {
        PendingActivityInfo retry = FaultHarness.await(op.get("workflowId").asString() + " retrying on the stopped database",
            Duration.ofSeconds(60), () -> retry(harness, op.get("workflowId").asString()),
            a -> a.getAttempt() >= 2 && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
        System.out.printf("PostgresRestartIT: %s attempt %d running after: %s%n", retry.getActivityType().getName(), retry.getAttempt(),
            retry.getLastFailure().getMessage());
      }
      harness.startPostgres();
      System.out.printf("PostgresRestartIT: PostgreSQL down for %.1f s%n", Duration.between(stopped, Instant.now()).toMillis() / 1000.0);

      JsonNode batchDone = harness.awaitEnded(batch.get("id").asString(), Duration.ofSeconds(120));
      JsonNode loadDone = harness.awaitEnded(load.get("id").asString(), Duration.ofSeconds(120));
      System.out.printf("PostgresRestartIT: batch %s, import %s %.1f s after the stop%n", status(batchDone), status(loadDone),
          Duration.between(stopped, Instant.now()).toMillis() / 1000.0);

      assertThat(status(batchDone)).isEqualTo("COMPLETED");
      assertThat(batchDone.at("/progress/done").asLong()).isEqualTo(BASE_PRODUCTS);
      assertThat(batchDone.at("/counts/succeeded").asLong()).as("variants changed").isEqualTo(2L * BASE_PRODUCTS);
      assertThat(status(loadDone)).isEqualTo("COMPLETED");
      assertThat(loadDone.at("/counts/succeeded").asLong()).isEqualTo(NEW_PRODUCTS);
      try (Connection c = harness.db()) {
        assertThat(Catalog.stored(c, "base-%")).as("every base price raised by 1.00 exactly once")
            .isEqualTo(Catalog.generated("base-", BASE_PRODUCTS, 2, new BigDecimal("1.00")));
        assertThat(Catalog.stored(c, "new-%")).as("the file imported exactly once").isEqualTo(incoming);
      }

      JsonNode pool = FaultHarness.await("the pool at rest", Duration.ofSeconds(30), () -> harness.get("/api/health/pool").json(),
          p -> p.at("/pool/active").asInt() == 0 && p.at("/pool/threadsAwaitingConnection").asInt() == 0);
      System.out.println("PostgresRestartIT: pool after the restart " + pool.get("pool"));
      JsonNode health = harness.get("/actuator/health").json();
      assertThat(health.at("/status").asString()).isEqualTo("UP");
      assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
    }
  }

  /** The workflow's pending activity with the highest attempt: a retry once one has failed. */
  private static PendingActivityInfo retry(FaultHarness harness, String workflowId) {
    return harness.temporal().getWorkflowServiceStubs().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
        .getPendingActivitiesList().stream().max(Comparator.comparingInt(PendingActivityInfo::getAttempt)).orElseThrow();
  }
}
