package com.storeops.imports;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Imports one staged Shopify product CSV into the catalogue. */
@WorkflowInterface
public interface ImportWorkflow {

  @WorkflowMethod
  ImportResult importFile(ImportRequest request);

  /** Products done so far (of the total, once the file has been scanned). */
  @QueryMethod
  ImportProgress progress();
}
