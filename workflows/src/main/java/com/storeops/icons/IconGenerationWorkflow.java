package com.storeops.icons;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.UUID;

/** Renders icons for the selected products, a few products at a time, each its own activity. */
@WorkflowInterface
public interface IconGenerationWorkflow {

  @WorkflowMethod
  IconResult generate(IconRequest request);

  /** {@code after}: the last product id already handled (continue-as-new carries it). */
  record IconRequest(UUID operationId, long after) {}

  record IconResult(String status, String error) {}
}
