package com.storeops.icons;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.UUID;

/** Renders icons for the selected products, a few products at a time, each its own activity. */
@WorkflowInterface
public interface IconGenerationWorkflow {

  /** Ends Completed, Failed (an activity failed for good) or Canceled, as the operation's row says. */
  @WorkflowMethod
  IconResult generate(IconRun run);

  /** {@code after}: the last product id already handled (continue-as-new carries it). */
  record IconRun(UUID operationId, long after) {}

  /** {@code lastProductId}: the highest product id handled, 0 when the selection was empty. */
  record IconResult(long lastProductId) {}
}
