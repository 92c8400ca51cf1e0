package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch workflow's decisions, with the database side replaced by a recording fake. */
class BatchUpdateWorkflowTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("batch");
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), BatchUpdateWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void snapshotsAppliesPushesAndRecordsCompletion() {
    worker.registerActivitiesImplementations(new Fake(false));
    env.start();

    BatchUpdateWorkflow.BatchResult result = workflow("b1").run(new BatchUpdateWorkflow.BatchRequest(UUID.randomUUID(), null, true));

    assertThat(result).isEqualTo(new BatchUpdateWorkflow.BatchResult(3, 6));
    assertThat(calls).containsExactly("snapshot", "apply", "push", "outcome COMPLETED");
  }

  @Test
  void aFailedChunkEndsTheOperationFailedWithItsReason() {
    worker.registerActivitiesImplementations(new Fake(true));
    env.start();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow("b2").run(new BatchUpdateWorkflow.BatchRequest(UUID.randomUUID(), null, false)));

    assertThat(failed.getCause()).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      assertThat(f.getType()).isEqualTo(OperationOutcome.FAILED_TYPE);
      assertThat(f.getOriginalMessage()).isEqualTo("price would be negative");
    });
    assertThat(calls).containsExactly("snapshot", "apply", "outcome FAILED price would be negative");
  }

  @Test
  void temporalUiShowsTheOutcomeAsCurrentDetails() {
    worker.registerActivitiesImplementations(new Fake(true));
    env.start();
    catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow("b3").run(new BatchUpdateWorkflow.BatchRequest(UUID.randomUUID(), null, false)));

    // The Web UI reads the same built-in query.
    WorkflowMetadata metadata = env.getWorkflowClient().newUntypedWorkflowStub("b3")
        .query("__temporal_workflow_metadata", WorkflowMetadata.class);

    assertThat(metadata.getCurrentDetails()).isEqualTo("**Failed:** price would be negative");
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("batch-update.json", BatchUpdateWorkflowImpl.class);
  }

  @RecordsHistory
  void recordHistory() throws Exception {
    worker.registerActivitiesImplementations(new Fake(false));
    env.start();
    workflow("batch-recorded").run(new BatchUpdateWorkflow.BatchRequest(UUID.fromString("00000000-0000-0000-0000-000000000003"), null, true));
    RecordedHistories.save(env.getWorkflowClient(), "batch-recorded", "batch-update.json");
  }

  private BatchUpdateWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(BatchUpdateWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("batch").setWorkflowId(id).build());
  }

  private final class Fake implements BatchUpdateActivities, OperationActivities {
    private final boolean failApply;

    Fake(boolean failApply) {
      this.failApply = failApply;
    }

    @Override
    public long snapshot(Apply request) {
      calls.add("snapshot");
      return 3;
    }

    @Override
    public Applied apply(Apply request) {
      calls.add("apply");
      if (failApply) {
        throw ApplicationFailure.newNonRetryableFailure("price would be negative", "BatchRequestInvalid");
      }
      return new Applied(3, 6);
    }

    @Override
    public Applied pushToShopify(Apply request) {
      calls.add("push");
      return new Applied(0, 6);
    }

    @Override
    public void recordOutcome(Outcome outcome) {
      calls.add(("outcome " + outcome.status() + " " + (outcome.error() == null ? "" : outcome.error())).strip());
    }
  }
}
