package com.storeops.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.Http;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.common.WorkflowIds;
import com.storeops.config.InvalidSettingException;
import com.storeops.sync.ShopifySyncStarter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The operations table and Temporal agree: rows whose workflow no longer runs end FAILED with the
 * reason, recorded outcomes and young rows stay, and a stale row neither blocks a sync nor turns a
 * cancel into a 500. The reconciler is called directly; its schedule only repeats the same call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OperationReconcilerTest {

  /** A queue no worker polls: a workflow started on it stays RUNNING until the test ends it. */
  private static final String IDLE_QUEUE = "reconcile-test-idle";

  @LocalServerPort int port;
  @Autowired OperationReconciler reconciler;
  @Autowired Operations operations;
  @Autowired JdbcAggregateTemplate aggregates;
  @Autowired WorkflowClient temporal;
  @Autowired ShopifySyncStarter syncStarter;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void runningOperationWithoutAWorkflowEndsFailedAfterAReconcile() {
    Operation op = save(OperationType.IMPORT, OperationStatus.RUNNING, "{}", ago(Duration.ofMinutes(5)));

    reconciler.reconcile();

    Operation after = operations.find(op.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(after.error()).isEqualTo("its workflow no longer exists on the Temporal server");
    assertThat(after.finishedAt()).isNotNull();
  }

  @Test
  void operationWhoseWorkflowWasTerminatedEndsFailedSayingSo() {
    Operation op = save(OperationType.BATCH_UPDATE, OperationStatus.RUNNING, "{}", ago(Duration.ofMinutes(5)));
    WorkflowStub workflow = startIdle(op);
    workflow.terminate("terminated from the Web UI");

    reconciler.reconcile();

    Operation after = operations.find(op.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(after.error()).isEqualTo("its workflow was terminated in Temporal");
  }

  @Test
  void operationWhoseWorkflowStillRunsIsLeftAlone() {
    Operation op = save(OperationType.BATCH_UPDATE, OperationStatus.RUNNING, "{}", ago(Duration.ofMinutes(5)));
    WorkflowStub workflow = startIdle(op);
    try {
      reconciler.reconcile();

      assertThat(operations.find(op.id()).orElseThrow().status()).isEqualTo(OperationStatus.RUNNING);
    } finally {
      workflow.terminate("test done");
    }
  }

  @Test
  void freshPendingRowWhoseStartMayBeInFlightIsNotTouched() {
    Operation op = save(OperationType.ICON_GENERATION, OperationStatus.PENDING, "{}", Instant.now());

    reconciler.reconcile();

    assertThat(operations.find(op.id()).orElseThrow().status()).isEqualTo(OperationStatus.PENDING);
    assertThat(reconciler.settle(op)).as("asked about this one operation").isEmpty();
    assertThat(operations.find(op.id()).orElseThrow().status()).isEqualTo(OperationStatus.PENDING);
  }

  @Test
  void outcomeTheWorkflowRecordedIsNeverOverwritten() throws Exception {
    String p = "r" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Variant SKU,Variant Price\n" + p + "-a,A," + p + "-A1,1.00\n";
    String id = http.upload("/api/operations/import", "file", "one.csv", csv.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
    assertThat(http.awaitEnded(id).get("status").asString()).isEqualTo("COMPLETED");
    Operation completed = operations.find(UUID.fromString(id)).orElseThrow();
    // The row ends first, then the workflow: wait until Temporal has closed it too.
    temporal.newUntypedWorkflowStub(completed.workflowId()).getResult(30, TimeUnit.SECONDS, Object.class);
    // What a reconcile that read the row just before the workflow recorded its outcome holds.
    Operation readWhileRunning = withStatus(completed, OperationStatus.RUNNING);

    reconciler.reconcile();
    String answer = reconciler.settle(readWhileRunning).orElseThrow();

    Operation after = operations.find(completed.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(OperationStatus.COMPLETED);
    assertThat(after.error()).isNull();
    assertThat(after.version()).isEqualTo(completed.version());
    assertThat(answer).isEqualTo("it has already ended (COMPLETED)");
  }

  @Test
  void cancellingAnOperationWhoseWorkflowIsGoneAnswers409WithTheReason() {
    Operation op = save(OperationType.IMPORT, OperationStatus.RUNNING, "{}", ago(Duration.ofMinutes(5)));

    Http.Response cancel = http.post("/api/operations/" + op.id() + "/cancel", "");

    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.contentType()).startsWith("application/problem+json");
    assertThat(cancel.json().get("detail").asString()).contains("no longer exists on the Temporal server");
    assertThat(operations.find(op.id()).orElseThrow().status()).isEqualTo(OperationStatus.FAILED);
  }

  /**
   * The periodic reconcile may settle the row first (CI once saw it do so between the test's save
   * and its cancel): the answer then still says why the operation ended.
   */
  @Test
  void cancellingAnOperationTheReconcilerSettledFirstAnswers409WithTheReason() {
    Operation op = save(OperationType.IMPORT, OperationStatus.RUNNING, "{}", ago(Duration.ofMinutes(5)));
    reconciler.reconcile();

    Http.Response cancel = http.post("/api/operations/" + op.id() + "/cancel", "");

    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.json().get("detail").asString()).contains("FAILED").contains("no longer exists on the Temporal server");
  }

  @Test
  void cancellingAnOperationWhoseWorkflowWasTerminatedAnswers409WithTheReason() {
    Operation op = save(OperationType.BATCH_UPDATE, OperationStatus.RUNNING, "{}", Instant.now());
    startIdle(op).terminate("terminated from the Web UI");

    Http.Response cancel = http.post("/api/operations/" + op.id() + "/cancel", "");

    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.contentType()).startsWith("application/problem+json");
    assertThat(cancel.json().get("detail").asString()).contains("its workflow was terminated in Temporal");
    assertThat(operations.find(op.id()).orElseThrow().error()).isEqualTo("its workflow was terminated in Temporal");
  }

  @Test
  void staleSyncRowDoesNotBlockTheShopsNextSync() {
    String shop = "stale-" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
    Operation stale = save(OperationType.SHOPIFY_SYNC, OperationStatus.RUNNING, "{\"shop\": \"" + shop + "\"}", ago(Duration.ofMinutes(5)));

    ShopifySyncStarter.Started next = syncStarter.start(shop, false, "test");

    assertThat(next.started()).isTrue();
    assertThat(next.operation().id()).isNotEqualTo(stale.id());
    Operation after = operations.find(stale.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(after.error()).isEqualTo("its workflow no longer exists on the Temporal server");
  }

  @Test
  void reconcileIntervalMustBeAboveZero() {
    assertThatThrownBy(() -> new OperationReconciler.ReconcileSettings(Duration.ZERO))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("STOREOPS_RECONCILE_INTERVAL");
  }

  private static Instant ago(Duration age) {
    return Instant.now().minus(age).truncatedTo(ChronoUnit.MICROS);
  }

  private Operation save(OperationType type, OperationStatus status, String parameters, Instant updatedAt) {
    UUID id = UUID.randomUUID();
    Operation pending = Operation.pending(id, type, WorkflowIds.of(type, "reconcile-test", id), new JsonDocument(parameters), updatedAt);
    return aggregates.insert(withStatus(pending, status));
  }

  private static Operation withStatus(Operation op, OperationStatus status) {
    return new Operation(op.id(), op.type(), status, op.itemsDone(), op.itemsTotal(), op.succeededCount(), op.failedCount(),
        op.skippedCount(), op.error(), op.workflowId(), op.runId(), op.parameters(), op.createdAt(), op.startedAt(),
        op.finishedAt(), op.updatedAt(), op.version());
  }

  /** Starts a workflow under the operation's workflow id that no worker runs: it stays RUNNING. */
  private WorkflowStub startIdle(Operation op) {
    WorkflowStub workflow = temporal.newUntypedWorkflowStub("ReconcileTestIdle",
        WorkflowOptions.newBuilder().setTaskQueue(IDLE_QUEUE).setWorkflowId(op.workflowId()).build());
    workflow.start();
    return workflow;
  }
}
