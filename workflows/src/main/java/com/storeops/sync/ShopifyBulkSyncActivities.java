package com.storeops.sync;

import io.temporal.activity.ActivityInterface;
import java.util.UUID;

/** A full sync: every product through a Shopify bulk export, then what the shop no longer has. */
@ActivityInterface
public interface ShopifyBulkSyncActivities {

  /**
   * Runs a bulk export of every product, stages it in PostgreSQL and writes it a batch at a time,
   * each batch in one transaction with the operation's counts; the export's id and the line reached
   * travel in the heartbeat, so a retry waits for the same export and resumes at that line. Moves
   * the watermark at the end.
   */
  Synced syncAllProducts(SyncProducts request);

  /** After {@link #syncAllProducts}: soft-deletes the products with a Shopify id that it did not write. */
  Removed removeMissingProducts(RemoveMissing request);

  record RemoveMissing(UUID operationId) {}

  record Removed(long products) {}
}
