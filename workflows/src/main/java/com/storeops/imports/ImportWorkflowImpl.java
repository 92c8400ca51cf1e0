package com.storeops.imports;

import com.storeops.common.TaskQueue;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ImportWorkflowImpl implements ImportWorkflow {

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.IMPORT.priorityKey()).build();

  private final ImportActivities quick = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  // The load runs as long as the file needs; the heartbeat proves it is alive and carries the
  // checkpoint a retry resumes from. Cancellation reaches it through the heartbeat, and the
  // workflow waits for it to stop at a chunk boundary.
  private final ImportActivities load = Workflow.newActivityStub(
      ImportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setPriority(PRIORITY)
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
    ImportActivities.Scan scan = quick.scanFile(new ImportActivities.ScanRequest(request.operationId()));
    if (scan.fileError() != null) {
      quick.finish(new ImportActivities.Finish(request.operationId(), "FAILED", scan.fileError()));
      return new ImportResult("FAILED", 0, 0, scan.fileError());
    }
    total = scan.products();
    try {
      ImportActivities.Loaded loaded = load.loadProducts(new ImportActivities.LoadRequest(request.operationId()));
      done = loaded.imported() + loaded.skipped();
      quick.finish(new ImportActivities.Finish(request.operationId(), "COMPLETED", null));
      return new ImportResult("COMPLETED", loaded.imported(), loaded.skipped(), null);
    } catch (ActivityFailure | CanceledFailure e) {
      boolean cancelled = e instanceof CanceledFailure || e.getCause() instanceof CanceledFailure;
      String status = cancelled ? "CANCELLED" : "FAILED";
      String error = cancelled ? null : e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      // The bookkeeping must run even though the workflow itself is being cancelled.
      Workflow.newDetachedCancellationScope(
          () -> quick.finish(new ImportActivities.Finish(request.operationId(), status, error))).run();
      if (cancelled) {
        throw e;
      }
      return new ImportResult(status, 0, 0, error);
    }
  }

  @Override
  public ImportProgress progress() {
    return new ImportProgress(done, total < 0 ? null : total);
  }
}
