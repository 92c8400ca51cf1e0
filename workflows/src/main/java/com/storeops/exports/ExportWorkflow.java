package com.storeops.exports;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Writes the catalogue as one Shopify product CSV, kept in PostgreSQL for download. Progress is the
 * operation's row, which the writing activity updates page by page.
 */
@WorkflowInterface
public interface ExportWorkflow {

  @WorkflowMethod
  ExportResult exportCatalog(ExportRequest request);
}
