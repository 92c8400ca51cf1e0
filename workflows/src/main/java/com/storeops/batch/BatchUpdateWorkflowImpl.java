package com.storeops.batch;

import com.storeops.common.OperationDetails;
import com.storeops.common.OperationOutcome;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.UUID;

public class BatchUpdateWorkflowImpl implements BatchUpdateWorkflow {


  private final BatchUpdateActivities batchSnapshot = Workflow.newActivityStub(
      BatchUpdateActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setSummary("Take the snapshot of matching products")
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  // Chunks commit one by one; the snapshot rows marked applied are the checkpoint, so a retry
  // goes on with the next unapplied chunk. Cancellation arrives through the heartbeat.
  private final BatchUpdateActivities batchApply = Workflow.newActivityStub(
      BatchUpdateActivities.class, chunked("Apply the changes chunk by chunk, keeping the replaced values"));

  // The pushed variant id is the heartbeat's checkpoint: a retry resumes after it.
  private final BatchUpdateActivities batchPush = Workflow.newActivityStub(
      BatchUpdateActivities.class, chunked("Push the changed variants to Shopify"));

  private final OperationOutcome outcome = new OperationOutcome();

  @Override
  public BatchResult run(BatchRequest request) {
    UUID id = request.operationId();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(id, request.revertOf());
    BatchResult result = outcome.run(id, () -> {
      Workflow.setCurrentDetails(OperationDetails.running(id, "Taking the snapshot of matching products"));
      batchSnapshot.snapshot(apply);
      Workflow.setCurrentDetails(OperationDetails.running(id, "Applying chunk by chunk, keeping the replaced values"));
      BatchUpdateActivities.Applied applied = batchApply.apply(apply);
      if (request.pushToShopify()) {
        Workflow.setCurrentDetails(OperationDetails.running(id, "Pushing changed variants to Shopify"));
        batchPush.pushToShopify(apply);
      }
      return new BatchResult(applied.products(), applied.variants());
    });
    Workflow.setCurrentDetails("**Completed:** " + result.products() + " products, " + result.variants() + " variants");
    return result;
  }

  private static ActivityOptions chunked(String summary) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(12))
        .setHeartbeatTimeout(Duration.ofMinutes(1))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setSummary(summary)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
        .build();
  }
}
