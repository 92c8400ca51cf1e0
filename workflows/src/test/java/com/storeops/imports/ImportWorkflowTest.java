package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.RecordedHistories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
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
    // Heartbeats reach the server within 100 ms, so a cancelled slice hears of it at once.
    worker = env.newWorker("import", WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofMillis(100)).build());
    worker.registerWorkflowImplementationTypes(ImportWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void scansThenLoadsEverySliceThenRecordsCompletion() {
    FakeActivities fake = new FakeActivities(null, 7, 2);
    worker.registerActivitiesImplementations(fake);
    env.start();

    ImportResult result = workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    assertThat(result).isEqualTo(new ImportResult("COMPLETED", 7, 2, null));
    assertThat(fake.slicesLoaded).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(finished).extracting(ImportActivities.Finish::status).containsExactly("COMPLETED");
  }

  @Test
  void aFailingSliceStopsTheOthersBeforeTheFailureIsRecorded() {
    FakeActivities fake = new FakeActivities(null, 7, 2) {
      @Override
      public Loaded loadProducts(LoadRequest request) {
        if (request.slice() == 1) {
          throw ApplicationFailure.newNonRetryableFailure("line 9 changed under us", "com.storeops.imports.ImportFileException");
        }
        try {
          while (true) { // a long slice: works until its heartbeat reports the cancellation
            Activity.getExecutionContext().heartbeat(request.slice());
            Thread.sleep(20);
          }
        } catch (ActivityCanceledException e) {
          stopped.incrementAndGet();
          throw e;
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void finish(Finish request) {
        stoppedAtFinish.set(stopped.get());
        super.finish(request);
      }
    };
    worker.registerActivitiesImplementations(fake);
    env.start();

    ImportResult result = workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("line 9 changed under us");
    assertThat(fake.stoppedAtFinish).as("both other slices stopped before the outcome was recorded").hasValue(2);
    assertThat(finished).extracting(ImportActivities.Finish::status).containsExactly("FAILED");
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
  void recordedHistoriesReplayOnTheCurrentCode() throws Exception {
    for (String history : List.of("import-completed.json", "import-sliced.json")) {
      RecordedHistories.replay(history, ImportWorkflowImpl.class);
    }
  }

  @Test
  void recordHistoryWhenAsked() throws Exception {
    RecordedHistories.assumeRecording();
    worker.registerActivitiesImplementations(new FakeActivities(null, 7, 2));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    ImportWorkflow wf = client.newWorkflowStub(ImportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId("import-recorded").build());
    wf.importFile(new ImportRequest(UUID.fromString("00000000-0000-0000-0000-000000000001"), "p.csv"));
    RecordedHistories.save(client, "import-recorded", "import-sliced.json");
  }

  private ImportWorkflow workflow() {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(ImportWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("import").build());
  }

  /** Three slices; slice s reports its share of the counts. */
  private class FakeActivities implements ImportActivities {
    private static final int SLICES = 3;
    private final String fileError;
    private final long imported;
    private final long skipped;
    volatile int loads;
    final List<Integer> slicesLoaded = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger stopped = new AtomicInteger();
    final AtomicInteger stoppedAtFinish = new AtomicInteger(-1);

    FakeActivities(String fileError, long imported, long skipped) {
      this.fileError = fileError;
      this.imported = imported;
      this.skipped = skipped;
    }

    @Override
    public Scan scanFile(ScanRequest request) {
      return new Scan(imported + skipped, List.of(), fileError, 10, SLICES);
    }

    @Override
    public Loaded loadProducts(LoadRequest request) {
      loads++;
      slicesLoaded.add(request.slice());
      boolean last = request.slice() == SLICES - 1;
      return new Loaded(last ? imported - (SLICES - 1) * (imported / SLICES) : imported / SLICES,
          last ? skipped - (SLICES - 1) * (skipped / SLICES) : skipped / SLICES);
    }

    @Override
    public void finish(Finish request) {
      finished.add(request);
    }
  }
}
