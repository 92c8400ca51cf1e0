package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync workflow's decisions, with Shopify and the database replaced by a recording fake. */
class ShopifySyncWorkflowTest {

  private TestWorkflowEnvironment env;
  private Worker worker;
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker("sync");
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), ShopifySyncWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aFullSyncRemovesWhatTheShopNoLongerHas() {
    register(null);

    ShopifySyncWorkflow.SyncResult result = workflow("sync-full").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", true));

    assertThat(result).isEqualTo(new ShopifySyncWorkflow.SyncResult(40, 2));
    assertThat(calls).containsExactly("sync all", "removeMissing", "outcome COMPLETED");
  }

  @Test
  void anIncrementalSyncRemovesNothing() {
    register(null);

    ShopifySyncWorkflow.SyncResult result = workflow("sync-inc").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", false));

    assertThat(result.removed()).isZero();
    assertThat(calls).containsExactly("sync updated", "outcome COMPLETED");
  }

  @Test
  void aRefusedTokenFailsTheSyncWithShopifysReason() {
    register("Shopify refused the access token for s (HTTP 401)");

    assertThatThrownBy(() -> workflow("sync-401").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", true)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(OperationOutcome.FAILED_TYPE);
          assertThat(failure.getOriginalMessage()).isEqualTo("Shopify refused the access token for s (HTTP 401)");
        });
    assertThat(calls).containsExactly("sync all", "outcome FAILED Shopify refused the access token for s (HTTP 401)");
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("shopify-sync-full.json", ShopifySyncWorkflowImpl.class);
    RecordedHistories.replay("shopify-sync-incremental.json", ShopifySyncWorkflowImpl.class);
  }

  @RecordsHistory
  void recordHistory() throws Exception {
    register(null);
    workflow("shopify-sync-recorded").sync(new ShopifySyncWorkflow.SyncRequest(UUID.fromString("00000000-0000-0000-0000-000000000002"), "s", true));
    RecordedHistories.save(env.getWorkflowClient(), "shopify-sync-recorded", "shopify-sync-full.json");
    workflow("shopify-sync-incremental-recorded").sync(
        new ShopifySyncWorkflow.SyncRequest(UUID.fromString("00000000-0000-0000-0000-000000000003"), "s", false));
    RecordedHistories.save(env.getWorkflowClient(), "shopify-sync-incremental-recorded", "shopify-sync-incremental.json");
  }

  private ShopifySyncWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(ShopifySyncWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("sync").setWorkflowId(id).build());
  }

  private void register(String refusal) {
    worker.registerActivitiesImplementations(new IncrementalFake(), new BulkFake(refusal), (OperationActivities) outcome ->
        calls.add("outcome " + outcome.status() + (outcome.error() == null ? "" : " " + outcome.error())));
    env.start();
  }

  private final class IncrementalFake implements ShopifyIncrementalSyncActivities {
    @Override
    public Synced syncUpdatedProducts(SyncProducts request) {
      calls.add("sync updated");
      return new Synced(40);
    }
  }

  private final class BulkFake implements ShopifyBulkSyncActivities {
    private final String refusal;

    BulkFake(String refusal) {
      this.refusal = refusal;
    }

    @Override
    public Synced syncAllProducts(SyncProducts request) {
      calls.add("sync all");
      if (refusal != null) {
        throw ApplicationFailure.newNonRetryableFailure(refusal, "ShopifyRefused");
      }
      return new Synced(40);
    }

    @Override
    public Removed removeMissingProducts(RemoveMissing request) {
      calls.add("removeMissing");
      return new Removed(2);
    }
  }
}
