package com.storeops.imports;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Imports one staged Shopify product CSV into the catalogue. */
@WorkflowInterface
public interface ImportWorkflow {

  @WorkflowMethod
  ImportResult importFile(ImportRequest request);

  /**
   * The product total once the file is scanned, and the products done once the load has ended.
   * Live progress during the load is the operation's row, which each chunk commits with its data.
   */
  @QueryMethod
  ImportProgress progress();
}
