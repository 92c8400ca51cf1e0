package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's decisions, with the database side replaced by a recording fake. */
class ImportWorkflowTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  /** Activities in the order they ran: "discard", then "outcome STATUS". */
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<OperationActivities.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    // Heartbeats reach the server within 100 ms, so a cancelled slice hears of it at once.
    worker = env.newWorker("import", WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofMillis(100)).build());
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), ImportWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void scansThenLoadsEverySliceThenRecordsCompletion() {
    FakeActivities fake = new FakeActivities(null, 7, 2);
    register(fake);
    env.start();

    ImportResult result = workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    assertThat(result).isEqualTo(new ImportResult(7, 2));
    assertThat(fake.slicesLoaded).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(calls).containsExactly("discard", "outcome COMPLETED");
  }

  @Test
  void aFailingSliceStopsTheOthersBeforeTheFailureIsRecorded() {
    FakeActivities fake = new FakeActivities(null, 7, 2) {
      @Override
      public Loaded loadProducts(LoadRequest request) {
        if (request.slice() == 1) {
          throw ApplicationFailure.newNonRetryableFailure("line 9 changed under us", "com.storeops.imports.ImportFileException");
        }
        return loadUntilCancelled(request.slice());
      }
    };
    register(fake);
    env.start();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv")));

    assertThat(failed).isNotNull();
    assertThat(((ApplicationFailure) failed.getCause()).getType()).isEqualTo(OperationOutcome.FAILED_TYPE);
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).isEqualTo("line 9 changed under us");
    assertThat(fake.stoppedAtDiscard).as("both other slices stopped before the upload was discarded").hasValue(2);
    assertThat(calls).containsExactly("discard", "outcome FAILED");
    assertThat(outcomes).extracting(OperationActivities.Outcome::error).containsExactly("line 9 changed under us");
  }

  @Test
  void fileLevelProblemFailsWithoutLoading() {
    FakeActivities fake = new FakeActivities("the file is empty", 0, 0);
    register(fake);
    env.start();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> workflow().importFile(new ImportRequest(UUID.randomUUID(), "p.csv")));

    assertThat(failed).isNotNull();
    assertThat(((ApplicationFailure) failed.getCause()).getOriginalMessage()).isEqualTo("the file is empty");
    assertThat(fake.loads).isZero();
    assertThat(calls).containsExactly("discard", "outcome FAILED");
    assertThat(outcomes).extracting(OperationActivities.Outcome::error).containsExactly("the file is empty");
  }

  /**
   * The scan reads the whole file: it must prove it is alive by heartbeats, not by finishing within
   * a fixed time a large file does not fit in; and a scan that fails for a reason in the file (the
   * database refused a value of it) is not retried.
   */
  @Test
  void theScanHeartbeatsAndItsTimeLimitIsTheLoadsNotTenMinutes() {
    register(new FakeActivities(null, 7, 2));
    env.start();
    ImportWorkflow workflow = workflow();
    workflow.importFile(new ImportRequest(UUID.randomUUID(), "p.csv"));

    var scheduled = env.getWorkflowClient().fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId())
        .getEvents().stream().filter(e -> e.hasActivityTaskScheduledEventAttributes())
        .map(e -> e.getActivityTaskScheduledEventAttributes()).toList();
    var scan = scheduled.stream().filter(a -> a.getActivityType().getName().equals("ScanFile")).findFirst().orElseThrow();
    var load = scheduled.stream().filter(a -> a.getActivityType().getName().equals("LoadProducts")).findFirst().orElseThrow();

    assertThat(scan.getHeartbeatTimeout().getSeconds()).isBetween(1L, 120L);
    assertThat(scan.getStartToCloseTimeout().getSeconds()).isEqualTo(load.getStartToCloseTimeout().getSeconds());
    assertThat(scan.getRetryPolicy().getNonRetryableErrorTypesList()).contains("com.storeops.imports.ImportFileException");
  }

  @Test
  void cancellingStopsEverySliceDiscardsTheUploadAndRecordsCancellation() throws Exception {
    FakeActivities fake = new FakeActivities(null, 7, 2) {
      @Override
      public Loaded loadProducts(LoadRequest request) {
        return loadUntilCancelled(request.slice());
      }
    };
    register(fake);
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    ImportWorkflow wf = client.newWorkflowStub(ImportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId("import-cancelled").build());
    WorkflowClient.start(wf::importFile, new ImportRequest(UUID.randomUUID(), "p.csv"));
    fake.awaitLoading();

    client.newUntypedWorkflowStub("import-cancelled").cancel();

    WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
        () -> client.newUntypedWorkflowStub("import-cancelled").getResult(ImportResult.class));
    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
    assertThat(fake.stoppedAtDiscard).as("every slice stopped before the upload was discarded").hasValue(3);
    assertThat(calls).containsExactly("discard", "outcome CANCELED");
  }

  /**
   * A history recorded from this workflow (see README in test resources) must replay on the current
   * code: a non-deterministic change to ImportWorkflowImpl fails here, before it reaches running
   * imports.
   */
  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("import-completed.json", ImportWorkflowImpl.class);
  }

  @RecordsHistory
  void recordHistory() throws Exception {
    register(new FakeActivities(null, 7, 2));
    env.start();
    WorkflowClient client = env.getWorkflowClient();
    ImportWorkflow wf = client.newWorkflowStub(ImportWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId("import-recorded").build());
    wf.importFile(new ImportRequest(UUID.fromString("00000000-0000-0000-0000-000000000001"), "p.csv"));
    RecordedHistories.save(client, "import-recorded", "import-completed.json");
  }

  private void register(FakeActivities fake) {
    worker.registerActivitiesImplementations(fake, new OperationActivities() {
      @Override
      public void recordOutcome(Outcome outcome) {
        outcomes.add(outcome);
        calls.add("outcome " + outcome.status());
      }
    });
  }

  private ImportWorkflow workflow() {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(ImportWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("import").build());
  }

  /** Three slices; slice s reports its share of the counts. */
  private class FakeActivities implements ImportActivities {
    static final int SLICES = 3;
    private final String fileError;
    private final long imported;
    private final long skipped;
    volatile int loads;
    final List<Integer> slicesLoaded = Collections.synchronizedList(new ArrayList<>());
    final Set<Integer> slicesStarted = Collections.synchronizedSet(new java.util.HashSet<>());
    final AtomicInteger stopped = new AtomicInteger();
    final AtomicInteger stoppedAtDiscard = new AtomicInteger(-1);

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
    public void discardUpload(DiscardRequest request) {
      stoppedAtDiscard.set(stopped.get());
      calls.add("discard");
    }

    /** A long slice: works until its heartbeat reports the cancellation. */
    Loaded loadUntilCancelled(int slice) {
      try {
        while (true) {
          Activity.getExecutionContext().heartbeat(slice);
          loading(slice);
          Thread.sleep(20);
        }
      } catch (ActivityCanceledException e) {
        stopped.incrementAndGet();
        throw e;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    private synchronized void loading(int slice) {
      if (slicesStarted.add(slice)) {
        notifyAll();
      }
    }

    /** Returns once every slice has heartbeated at least once: all three are running. */
    synchronized void awaitLoading() throws InterruptedException {
      while (slicesStarted.size() < SLICES) {
        wait();
      }
    }
  }
}
