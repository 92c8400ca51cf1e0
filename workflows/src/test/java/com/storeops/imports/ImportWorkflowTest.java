package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's decisions, with the database side replaced by a recording fake. */
class ImportWorkflowTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<ImportActivities.Finish> finished = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("import");
    worker.registerWorkflowImplementationTypes(ImportWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void scansThenLoadsThenRecordsCompletion() {
    worker.registerActivitiesImplementations(new FakeActivities(null, 7, 2));
    env.start();

    ImportResult result = workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    assertThat(result).isEqualTo(new ImportResult("COMPLETED", 7, 2, null));
    assertThat(finished).extracting(ImportActivities.Finish::status).containsExactly("COMPLETED");
  }

  @Test
  void fileLevelProblemFailsWithoutLoading() {
    FakeActivities fake = new FakeActivities("the file is empty", 0, 0);
    worker.registerActivitiesImplementations(fake);
    env.start();

    ImportResult result = workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("the file is empty");
    assertThat(fake.loads).isZero();
    assertThat(finished).extracting(ImportActivities.Finish::error).containsExactly("the file is empty");
  }

  /**
   * A history recorded from this workflow (see README in test resources) must replay on the current
   * code: a non-deterministic change to ImportWorkflowImpl fails here, before it reaches running
   * imports.
   */
  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    String json = new String(getClass().getResourceAsStream("/histories/import-completed.json").readAllBytes(), StandardCharsets.UTF_8);

    WorkflowReplayer.replayWorkflowExecution(json, ImportWorkflowImpl.class);
  }

  @Test
  void recordHistoryWhenAsked() throws Exception {
    assumeTrue(System.getProperty("storeops.recordHistories") != null, "set -Dstoreops.recordHistories=DIR to record");
    worker.registerActivitiesImplementations(new FakeActivities(null, 7, 2));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    ImportWorkflow wf = client.newWorkflowStub(ImportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId("import-recorded").build());
    wf.importFile(new ImportRequest(UUID.fromString("00000000-0000-0000-0000-000000000001"), "p.csv"));
    Files.writeString(Path.of(System.getProperty("storeops.recordHistories"), "import-completed.json"),
        client.fetchHistory("import-recorded").toJson(true));
  }

  private ImportWorkflow workflow() {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(ImportWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("import").build());
  }

  private final class FakeActivities implements ImportActivities {
    private final String fileError;
    private final long imported;
    private final long skipped;
    volatile int loads;

    FakeActivities(String fileError, long imported, long skipped) {
      this.fileError = fileError;
      this.imported = imported;
      this.skipped = skipped;
    }

    @Override
    public Scan scanFile(ScanRequest request) {
      return new Scan(imported + skipped, List.of(), fileError);
    }

    @Override
    public Loaded loadProducts(LoadRequest request) {
      loads++;
      return new Loaded(imported, skipped);
    }

    @Override
    public void finish(Finish request) {
      finished.add(request);
    }
  }
}
