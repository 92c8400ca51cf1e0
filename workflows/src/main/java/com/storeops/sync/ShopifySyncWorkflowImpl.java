package com.storeops.sync;

import com.storeops.common.OperationDetails;
import com.storeops.common.OperationOutcome;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ShopifySyncWorkflowImpl implements ShopifySyncWorkflow {

  // A sync runs as long as the shop needs (the cost bucket sets the pace); the heartbeat carries the
  // cursor or bulk line, so a retry after a worker crash or a Shopify outage resumes where it stopped.
  // No maximum attempts, as Temporal advises: what is left to fail an attempt is an outage (Shopify
  // 5xx or unreachable, the database gone), which a retry outlasts; what no retry can fix is not
  // thrown — a product the catalogue cannot hold is that product's error — or is non-retryable
  // (ShopifyRefused: a refused token, a query Shopify will not run).
  private static ActivityOptions.Builder syncing() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(24))
        .setHeartbeatTimeout(Duration.ofMinutes(2))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(2))
            .build());
  }

  private final ShopifyIncrementalSyncActivities incrementalSync = Workflow.newActivityStub(
      ShopifyIncrementalSyncActivities.class,
      syncing().setSummary("Sync the products updated since the watermark").build());

  private final ShopifyBulkSyncActivities bulkSync = Workflow.newActivityStub(
      ShopifyBulkSyncActivities.class,
      syncing().setSummary("Sync every product by bulk export").build());

  private final ShopifyBulkSyncActivities removeMissing = Workflow.newActivityStub(
      ShopifyBulkSyncActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setSummary("Soft-delete the products the shop no longer has")
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  private final OperationOutcome outcome = new OperationOutcome();

  @Override
  public SyncResult sync(SyncRequest request) {
    return outcome.run(request.operationId(), () -> {
      Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), (request.full() ? "Full sync by bulk export" : "Incremental sync")
          + " of " + request.shop() + "; the heartbeat carries the page or bulk line reached"));
      SyncProducts products = new SyncProducts(request.operationId(), request.shop());
      if (!request.full()) {
        return new SyncResult(incrementalSync.syncUpdatedProducts(products).products(), 0);
      }
      long synced = bulkSync.syncAllProducts(products).products();
      long removed = removeMissing.removeMissingProducts(new ShopifyBulkSyncActivities.RemoveMissing(request.operationId())).products();
      return new SyncResult(synced, removed);
    }, result -> "**Completed:** " + result.products() + " products synced, " + result.removed() + " removed");
  }
}
