package com.storeops.batch;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.UUID;

/** A batch update (or the revert of one) over its snapshot of products, chunk by chunk. */
@WorkflowInterface
public interface BatchUpdateWorkflow {

  /** Ends Completed with the counts, Failed with the reason, or Canceled at a chunk boundary. */
  @WorkflowMethod
  BatchResult run(BatchRequest request);

  /** {@code revertOf}: the batch update this one undoes, or null. The changes live on the operation row. */
  record BatchRequest(UUID operationId, UUID revertOf, boolean pushToShopify) {}

  record BatchResult(long products, long variants) {}
}
