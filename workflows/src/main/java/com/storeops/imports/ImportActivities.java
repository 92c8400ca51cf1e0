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
   * Imports one slice of the file — every {@code slices}-th chunk of products, one transaction per
   * chunk — skipping chunks already committed, so a retry resumes where the last attempt stopped.
   * Stops at a chunk boundary when the workflow cancels it.
   */
  Loaded loadProducts(LoadRequest request);

  /** Deletes the staged upload and what the scan derived from it; the imported products stay. */
  void discardUpload(DiscardRequest request);

  record ScanRequest(UUID operationId) {}

  /**
   * @param fileError set when the file cannot be imported at all
   * @param chunkProducts products per transaction, fixed for the whole import (chunk boundaries
   *     must not move between attempts)
   * @param slices how many loads run side by side: at least one, none for a refused file
   */
  record Scan(long products, List<String> ignoredColumns, String fileError, int chunkProducts, int slices) {}

  /** Slice {@code slice} of {@code slices}: the chunks whose index modulo {@code slices} is {@code slice}. */
  record LoadRequest(UUID operationId, int slice, int slices, int chunkProducts) {}

  /** Everything this slice's chunks wrote, including chunks committed by earlier attempts. */
  record Loaded(long imported, long skipped) {}

  record DiscardRequest(UUID operationId) {}
}
