package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.RecordedHistories;
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
    worker.registerWorkflowImplementationTypes(ShopifySyncWorkflowImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aFullSyncRemovesWhatTheShopNoLongerHas() {
    worker.registerActivitiesImplementations(new Fake(null));
    env.start();

    ShopifySyncWorkflow.SyncResult result = workflow("sync-full").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", true));

    assertThat(result).isEqualTo(new ShopifySyncWorkflow.SyncResult("COMPLETED", 40, 2, null));
    assertThat(calls).containsExactly("sync full", "removeMissing", "finish COMPLETED");
  }

  @Test
  void anIncrementalSyncRemovesNothing() {
    worker.registerActivitiesImplementations(new Fake(null));
    env.start();

    ShopifySyncWorkflow.SyncResult result = workflow("sync-inc").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", false));

    assertThat(result.removed()).isZero();
    assertThat(calls).containsExactly("sync incremental", "finish COMPLETED");
  }

  @Test
  void aRefusedTokenFailsTheSyncWithShopifysReason() {
    worker.registerActivitiesImplementations(new Fake("Shopify refused the access token for s (HTTP 401)"));
    env.start();

    ShopifySyncWorkflow.SyncResult result = workflow("sync-401").sync(new ShopifySyncWorkflow.SyncRequest(UUID.randomUUID(), "s", true));

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("Shopify refused the access token for s (HTTP 401)");
    assertThat(calls).containsExactly("sync full", "finish FAILED");
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("shopify-sync-full.json", ShopifySyncWorkflowImpl.class);
  }

  @Test
  void recordHistoryWhenAsked() throws Exception {
    RecordedHistories.assumeRecording();
    worker.registerActivitiesImplementations(new Fake(null));
    env.start();
    workflow("shopify-sync-recorded").sync(new ShopifySyncWorkflow.SyncRequest(UUID.fromString("00000000-0000-0000-0000-000000000002"), "s", true));
    RecordedHistories.save(env.getWorkflowClient(), "shopify-sync-recorded", "shopify-sync-full.json");
  }

  private ShopifySyncWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(ShopifySyncWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("sync").setWorkflowId(id).build());
  }

  private final class Fake implements ShopifySyncActivities {
    private final String refusal;

    Fake(String refusal) {
      this.refusal = refusal;
    }

    @Override
    public Synced syncProducts(SyncProducts request) {
      calls.add("sync " + (request.full() ? "full" : "incremental"));
      if (refusal != null) {
        throw ApplicationFailure.newNonRetryableFailure(refusal, "ShopifyRefused");
      }
      return new Synced(40);
    }

    @Override
    public long removeMissing(UUID operationId) {
      calls.add("removeMissing");
      return 2;
    }

    @Override
    public void finish(Finish request) {
      calls.add("finish " + request.status());
    }
  }
}
