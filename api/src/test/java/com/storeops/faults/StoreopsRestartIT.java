package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Catalog;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The durable default: storeops run as the README runs it — all roles in one process, no
 * TEMPORAL_ADDRESS, so it starts Temporal's dev server itself with the state under its own
 * {@code .storeops/temporal} — is SIGKILLed in the middle of a CSV import and started again. The
 * dev server the killed process left behind is recognised and replaced on the same state file, and
 * the same operation, known to the new server from that file, finishes COMPLETED with exactly the
 * file's rows. (PostgreSQL is the test's, as a production database would be.)
 */
class StoreopsRestartIT {

  static final int PRODUCTS = 50_000;

  @Test
  void aRestartOfStoreopsMidImportFinishesTheSameOperation() throws Exception {
    try (FaultHarness harness = new FaultHarness("storeops-restart", FaultHarness.Temporal.OF_STOREOPS)) {
      Path csv = harness.dir.resolve("restart.csv");
      Catalog file = Catalog.writeCsv(csv, "restart-", PRODUCTS, 2);
      FaultHarness.Node storeops = harness.startStoreops(Map.of());
      assertThat(harness.log(storeops)).as("storeops started the dev server itself").contains("started Temporal's dev server");
      Path db = harness.storeopsTemporalDb();
      assertThat(db).as("its state under .storeops of its working directory").exists();
      long firstServer = FaultHarness.devServersOn(db).stream().findFirst().orElseThrow().pid();

      JsonNode started = harness.upload("/api/operations/import", csv).json();
      String id = started.get("id").asString();
      harness.awaitOperation(id, Duration.ofSeconds(60), op -> op.at("/progress/done").asLong() > 0);
      harness.kill(storeops);
      Instant killedAt = Instant.now();
      try (Connection c = harness.db(); ResultSet rs = c.createStatement().executeQuery(
          "select status, items_done, items_total from operations where id = '" + UUID.fromString(id) + "'")) {
        rs.next();
        System.out.printf("StoreopsRestartIT: killed with operation %s %s at %d of %d%n", id, rs.getString(1), rs.getLong(2), rs.getLong(3));
        assertThat(rs.getString(1)).as("still running when killed").isEqualTo("RUNNING");
        assertThat(rs.getLong(2)).as("part-way when killed").isPositive().isLessThan(rs.getLong(3));
      }
      assertThat(FaultHarness.devServersOn(db)).as("SIGKILL leaves the dev server running").extracting(ProcessHandle::pid)
          .containsExactly(firstServer);

      harness.startStoreops(Map.of());
      assertThat(harness.log(storeops)).as("the server the killed storeops left is recognised")
          .contains("left running on " + db + " by storeops pid");
      assertThat(FaultHarness.devServersOn(db)).as("one server on the state file, a new one").hasSize(1)
          .extracting(ProcessHandle::pid).doesNotContain(firstServer);

      JsonNode done = harness.awaitEnded(id, Duration.ofSeconds(240));
      System.out.printf("StoreopsRestartIT: import %s %.0f s after the kill%n", status(done),
          Duration.between(killedAt, Instant.parse(done.get("finishedAt").asString())).toMillis() / 1000.0);
      assertThat(status(done)).isEqualTo("COMPLETED");
      assertThat(done.get("workflowId").asString()).as("the same workflow").isEqualTo(started.get("workflowId").asString());
      assertThat(done.at("/progress/done").asLong()).isEqualTo(PRODUCTS);
      assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(PRODUCTS);
      assertThat(done.at("/counts/failed").asLong() + done.at("/counts/skipped").asLong()).isZero();
      try (Connection c = harness.db()) {
        assertThat(Catalog.stored(c, "restart-%")).as("products, variants and checksum of the file").isEqualTo(file);
      }
      assertThat(harness.temporal().getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(done.get("workflowId").asString())).build())
          .getWorkflowExecutionInfo().getStatus())
          .as("the workflow on the restarted server").isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
  }
}
