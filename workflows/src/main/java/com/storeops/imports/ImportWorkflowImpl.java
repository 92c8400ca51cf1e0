package com.storeops.imports;

import com.storeops.common.ActivityDefaults;
import com.storeops.common.OperationDetails;
import com.storeops.common.OperationOutcome;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
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

  private final OperationOutcome outcome = new OperationOutcome();

  // A whole file's pass runs as long as the file needs, like a load: the heartbeat proves it is
  // alive. An attempt Temporal gave up on may still run; it plans nothing once another has planned.
  private final ImportActivities fileScan = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setSummary("Scan the staged file: products, repeats, chunk plan")
          .setRetryOptions(RetryOptions.newBuilder()
              .setMaximumInterval(Duration.ofSeconds(30))
              .setDoNotRetry("com.storeops.imports.ImportFileException")
              .build())
          .build());

  // A load runs as long as its slice of the file needs; the heartbeat proves it is alive, and the
  // committed chunks in the database are the checkpoint a retry resumes from. Cancellation reaches
  // it through the heartbeat, and the workflow waits for it to stop at a chunk boundary.
  private final ImportActivities productLoads = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setSummary("Load a slice of the file, chunk by chunk")
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofMinutes(1))
              .setDoNotRetry("com.storeops.imports.ImportFileException")
              .build())
          .build());

  // One file deletion: OPERATION_TIMEOUT (the worker's default activity options) bounds an attempt.
  private final ImportActivities uploadCleanup = ActivityDefaults.newStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setSummary("Delete the staged upload")
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  private long total = -1;
  private long done;

  @Override
  public ImportResult importFile(ImportRequest request) {
    UUID id = request.operationId();
    return outcome.run(id, () -> {
      ImportActivities.Scan scan;
      ImportActivities.Loaded loaded = null;
      try {
        scan = fileScan.scanFile(new ImportActivities.ScanRequest(id));
        if (scan.fileError() == null) {
          total = scan.products();
          Workflow.setCurrentDetails(OperationDetails.running(id, "Loading " + total + " products in " + scan.slices()
              + " slices; each chunk commits with its checkpoint"));
          loaded = loadInSlices(id, scan);
        }
      } finally {
        // The staged file goes whatever the outcome, before the outcome is recorded; detached,
        // because a cancelled workflow can only start activities outside its cancelled scope.
        Workflow.newDetachedCancellationScope(() -> uploadCleanup.discardUpload(new ImportActivities.DiscardRequest(id))).run();
      }
      if (loaded == null) {
        throw outcome.fail(id, scan.fileError());
      }
      done = loaded.imported() + loaded.skipped();
      return new ImportResult(loaded.imported(), loaded.skipped());
    }, result -> "**Completed:** " + result.imported() + " products imported, " + result.skipped() + " skipped");
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
        slices.add(Async.function(productLoads::loadProducts,
            new ImportActivities.LoadRequest(id, slice, scan.slices(), scan.chunkProducts())));
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
