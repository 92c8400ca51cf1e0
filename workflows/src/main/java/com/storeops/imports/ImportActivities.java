package com.storeops.imports;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.UUID;

/** What the import workflow asks of the database side. */
@ActivityInterface
public interface ImportActivities {

  /** Reads the whole staged file once, writing nothing: file-level problems and the product count. */
  Scan scanFile(ScanRequest request);

  /**
   * Imports the file from where the last attempt's heartbeat left off, one transaction per chunk
   * of products; stops at a chunk boundary when the workflow cancels it.
   */
  Loaded loadProducts(LoadRequest request);

  /** Records the outcome on the operation and deletes the staged upload. */
  void finish(Finish request);

  record ScanRequest(UUID operationId) {}

  /** @param fileError set when the file cannot be imported at all */
  record Scan(long products, List<String> ignoredColumns, String fileError) {}

  record LoadRequest(UUID operationId) {}

  record Loaded(long imported, long skipped) {}

  record Finish(UUID operationId, String status, String error) {}
}
