package com.storeops.sync;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.UUID;

/**
 * Brings the shop's products into PostgreSQL: everything (full) or what changed since the last
 * sync. A failed sync ends the workflow Failed, a cancelled one Canceled (see OperationOutcome).
 */
@WorkflowInterface
public interface ShopifySyncWorkflow {

  @WorkflowMethod
  SyncResult sync(SyncRequest request);

  /** @param full every product, and soft-delete what the shop no longer has; else incremental */
  record SyncRequest(UUID operationId, String shop, boolean full) {}

  record SyncResult(long products, long removed) {}
}
