package com.storeops.sync;

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

public class ShopifySyncWorkflowImpl implements ShopifySyncWorkflow {

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.SYNC.priorityKey()).build();

  private final ShopifySyncActivities quick = Workflow.newActivityStub(
      ShopifySyncActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  // Paging runs as long as the shop needs (the cost bucket sets the pace); the heartbeat carries the
  // cursor, so a retry after a worker crash or a Shopify outage resumes at the page it stopped on.
  private final ShopifySyncActivities paging = Workflow.newActivityStub(
      ShopifySyncActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(24))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setMaximumInterval(Duration.ofMinutes(2))
              .build())
          .build());

  @Override
  public SyncResult sync(SyncRequest request) {
    try {
      Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), (request.full() ? "Full sync by bulk export" : "Incremental sync")
          + " of " + request.shop() + "; the heartbeat carries the page or bulk line reached"));
      ShopifySyncActivities.Synced synced =
          paging.syncProducts(new ShopifySyncActivities.SyncProducts(request.operationId(), request.shop(), request.full()));
      long removed = request.full() ? quick.removeMissing(request.operationId()) : 0;
      Workflow.setCurrentDetails("**Completed:** " + synced.products() + " products synced, " + removed + " removed");
      quick.finish(new ShopifySyncActivities.Finish(request.operationId(), "COMPLETED", null));
      return new SyncResult("COMPLETED", synced.products(), removed, null);
    } catch (ActivityFailure | CanceledFailure e) {
      FailedOutcome outcome = FailedOutcome.of(e);
      Workflow.setCurrentDetails(outcome.details());
      // The bookkeeping must run even though the workflow itself is being cancelled.
      Workflow.newDetachedCancellationScope(() -> quick.finish(
          new ShopifySyncActivities.Finish(request.operationId(), outcome.status(), outcome.error()))).run();
      if (outcome.cancelled()) {
        throw e;
      }
      return new SyncResult(outcome.status(), 0, 0, outcome.error());
    }
  }
}
