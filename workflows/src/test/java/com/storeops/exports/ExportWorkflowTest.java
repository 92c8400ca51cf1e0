package com.storeops.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import com.storeops.common.OperationStatus;
import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.client.WorkflowClient;
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

/** The export workflow's decisions, with the file writer replaced by a fake. */
class ExportWorkflowTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<OperationActivities.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("import");
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), ExportWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void writesTheFileThenRecordsCompletion() {
    register(request -> new ExportActivities.Written(3, 5, 900));
    env.start();

    ExportResult result = workflow("export-ok").exportCatalog(new ExportRequest(UUID.randomUUID(), "legacy"));

    assertThat(result).isEqualTo(new ExportResult(3, 5, 900));
    assertThat(outcomes).extracting(OperationActivities.Outcome::status).containsExactly(OperationStatus.COMPLETED);
  }

  @Test
  void anUnknownHeaderGenerationFailsTheOperationWithoutRetrying() {
    List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    register(request -> {
      attempts.add(request.generation());
      throw ApplicationFailure.newNonRetryableFailure("unknown header generation 'x'", IllegalArgumentException.class.getName());
    });
    env.start();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow("export-bad").exportCatalog(new ExportRequest(UUID.randomUUID(), "x")));

    assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) failed.getCause()).getType()).isEqualTo(OperationOutcome.FAILED_TYPE);
    assertThat(attempts).hasSize(1);
    assertThat(outcomes).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo(OperationStatus.FAILED);
      assertThat(o.error()).contains("unknown header generation");
    });
  }

  /** A history recorded from this workflow must replay on the current code (see README in test resources). */
  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("export-completed.json", ExportWorkflowImpl.class);
  }

  @RecordsHistory
  void recordHistory() throws Exception {
    register(request -> new ExportActivities.Written(3, 5, 900));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    workflow("export-recorded").exportCatalog(new ExportRequest(UUID.fromString("00000000-0000-0000-0000-000000000002"), "current"));
    RecordedHistories.save(client, "export-recorded", "export-completed.json");
  }

  private void register(ExportActivities fake) {
    worker.registerActivitiesImplementations(fake, (OperationActivities) outcomes::add);
  }

  private ExportWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(ExportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId(id).build());
  }
}
