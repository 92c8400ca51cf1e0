package com.storeops.exports;

import io.temporal.activity.ActivityInterface;
import java.util.UUID;

/** The export's database side. */
@ActivityInterface
public interface ExportActivities {

  /**
   * Streams every product, page by page in id order, into the operation's file; a retry starts the
   * file again. Fails non-retryably for an unknown header generation.
   */
  Written writeCsv(WriteRequest request);

  record WriteRequest(UUID operationId, String generation) {}

  record Written(long products, long rows, long bytes) {}
}
