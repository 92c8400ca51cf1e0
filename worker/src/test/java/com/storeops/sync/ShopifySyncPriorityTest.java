package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationReconciler;
import com.storeops.operations.OperationStarter;
import com.storeops.shopify.ShopifySettings;
import com.storeops.temporal.TemporalServer;
import com.storeops.temporal.TemporalServerKind;
import com.storeops.operations.Operations;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Within the sync queue, a sync someone asked for (API, webhook) is served before a periodic one:
 * the workflow starts at its origin's priority key, which its activities inherit.
 */
class ShopifySyncPriorityTest {

  // No worker polls: the start request is what decides the priority.
  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
  private final Operations operations = mock(Operations.class);
  private final ShopifySyncStarter syncs = new ShopifySyncStarter(operations,
      new OperationStarter(operations, temporal.getWorkflowClient(),
          new TemporalServer(TemporalServerKind.TEST_SERVER, "in-process", null), new ShopifySettings(null, null, null, null, null, null, null)), mock(OperationReconciler.class));

  @BeforeEach
  void eachStartIsANewOperation() {
    when(operations.create(eq(OperationType.SHOPIFY_SYNC), any(), any())).thenAnswer(call -> Operation.pending(
        UUID.randomUUID(), OperationType.SHOPIFY_SYNC, "sync-" + UUID.randomUUID(), JsonDocument.EMPTY, Instant.now()));
  }

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void aPeriodicSyncStartsBehindTheOnesSomeoneAskedFor() {
    assertThat(priorityKeyOf(syncs.start("s", false, ShopifySyncStarter.SCHEDULE))).isEqualTo(4);
    assertThat(priorityKeyOf(syncs.start("s", false, "webhook"))).isEqualTo(2);
    assertThat(priorityKeyOf(syncs.start("s", true, "api"))).isEqualTo(2);
  }

  private int priorityKeyOf(ShopifySyncStarter.Started started) {
    HistoryEvent first = temporal.getWorkflowClient().fetchHistory(started.operation().workflowId()).getEvents().get(0);
    return first.getWorkflowExecutionStartedEventAttributes().getPriority().getPriorityKey();
  }
}
