package com.storeops.batch;

import com.storeops.common.FailedOutcome;
import com.storeops.common.OperationDetails;
import com.storeops.common.TaskQueue;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class BatchUpdateWorkflowImpl implements BatchUpdateWorkflow {

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.BATCH.priorityKey()).build();

  private final BatchUpdateActivities quick = Workflow.newActivityStub(
      BatchUpdateActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  // Chunks commit one by one; the snapshot rows marked applied are the checkpoint, so a retry
  // goes on with the next unapplied chunk. Cancellation arrives through the heartbeat.
  private final BatchUpdateActivities chunks = Workflow.newActivityStub(
      BatchUpdateActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(12))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
          .build());

  @Override
  public BatchResult run(BatchRequest request) {
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(request.operationId(), request.revertOf());
    try {
      Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), "Taking the snapshot of matching products"));
      quick.snapshot(apply);
      Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), "Applying chunk by chunk, keeping the replaced values"));
      BatchUpdateActivities.Applied applied = chunks.apply(apply);
      if (request.pushToShopify()) {
        Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), "Pushing changed variants to Shopify"));
        chunks.pushToShopify(apply);
      }
      Workflow.setCurrentDetails("**Completed:** " + applied.products() + " products, " + applied.variants() + " variants");
      quick.finish(new BatchUpdateActivities.Finish(request.operationId(), "COMPLETED", null));
      return new BatchResult("COMPLETED", applied.products(), applied.variants(), null);
    } catch (ActivityFailure | CanceledFailure e) {
      FailedOutcome outcome = FailedOutcome.of(e);
      Workflow.setCurrentDetails(outcome.details());
      Workflow.newDetachedCancellationScope(() -> quick.finish(
          new BatchUpdateActivities.Finish(request.operationId(), outcome.status(), outcome.error()))).run();
      if (outcome.cancelled()) {
        throw e;
      }
      return new BatchResult(outcome.status(), 0, 0, outcome.error());
    }
  }
}
