package com.storeops.imports;

import com.storeops.common.FailedOutcome;
import com.storeops.common.OperationDetails;
import com.storeops.common.TaskQueue;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

public class ImportWorkflowImpl implements ImportWorkflow {

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.IMPORT.priorityKey()).build();

  /** Histories from before parallel slices replay the single load they recorded. */
  static final String PARALLEL_SLICES = "import-parallel-slices";

  private final ImportActivities quick = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  // A load runs as long as its slice of the file needs; the heartbeat proves it is alive, and the
  // committed chunks in the database are the checkpoint a retry resumes from. Cancellation reaches
  // it through the heartbeat, and the workflow waits for it to stop at a chunk boundary.
  private final ImportActivities load = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setPriority(PRIORITY)
          .setSummary("Load a slice of the file, chunk by chunk")
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofMinutes(1))
              .setDoNotRetry("com.storeops.imports.ImportFileException")
              .build())
          .build());

  private long total = -1;
  private long done;

  @Override
  public ImportResult importFile(ImportRequest request) {
    UUID id = request.operationId();
    ImportActivities.Scan scan = quick.scanFile(new ImportActivities.ScanRequest(id));
    if (scan.fileError() != null) {
      Workflow.setCurrentDetails("**Refused the file:** " + scan.fileError());
      quick.finish(new ImportActivities.Finish(id, "FAILED", scan.fileError()));
      return new ImportResult("FAILED", 0, 0, scan.fileError());
    }
    total = scan.products();
    Workflow.setCurrentDetails(OperationDetails.running(id, "Loading " + total + " products in " + Math.max(1, scan.slices())
        + " slices; each chunk commits with its checkpoint"));
    try {
      ImportActivities.Loaded loaded = Workflow.getVersion(PARALLEL_SLICES, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
          ? load.loadProducts(new ImportActivities.LoadRequest(id, 0, 0, 0))
          : loadInSlices(id, scan);
      done = loaded.imported() + loaded.skipped();
      Workflow.setCurrentDetails("**Completed:** " + loaded.imported() + " products imported, " + loaded.skipped() + " skipped");
      quick.finish(new ImportActivities.Finish(id, "COMPLETED", null));
      return new ImportResult("COMPLETED", loaded.imported(), loaded.skipped(), null);
    } catch (ActivityFailure | CanceledFailure e) {
      FailedOutcome outcome = FailedOutcome.of(e);
      Workflow.setCurrentDetails(outcome.details());
      // The bookkeeping must run even though the workflow itself is being cancelled.
      Workflow.newDetachedCancellationScope(
          () -> quick.finish(new ImportActivities.Finish(id, outcome.status(), outcome.error()))).run();
      if (outcome.cancelled()) {
        throw e;
      }
      return new ImportResult(outcome.status(), 0, 0, outcome.error());
    }
  }

  /**
   * The slices run side by side, each on its own activity permit and connection. When one fails or
   * the workflow is cancelled, the others are cancelled too, and the workflow waits until every
   * slice has stopped at a chunk boundary before it records the outcome.
   */
  private ImportActivities.Loaded loadInSlices(UUID id, ImportActivities.Scan scan) {
    List<Promise<ImportActivities.Loaded>> slices = new ArrayList<>();
    CancellationScope scope = Workflow.newCancellationScope(() -> {
      for (int slice = 0; slice < scan.slices(); slice++) {
        slices.add(Async.function(load::loadProducts, new ImportActivities.LoadRequest(id, slice, scan.slices(), scan.chunkProducts())));
      }
    });
    scope.run();
    try {
      Promise.allOf(slices).get();
    } catch (ActivityFailure | CanceledFailure e) {
      scope.cancel();
      Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> slices.stream().allMatch(Promise::isCompleted))).run();
      throw e;
    }
    long imported = 0;
    long skipped = 0;
    for (Promise<ImportActivities.Loaded> slice : slices) {
      imported += slice.get().imported();
      skipped += slice.get().skipped();
    }
    return new ImportActivities.Loaded(imported, skipped);
  }

  @Override
  public ImportProgress progress() {
    return new ImportProgress(done, total < 0 ? null : total);
  }
}
