package com.storeops.sync;

import io.temporal.activity.ActivityInterface;

/** An incremental sync: the products changed since the shop's watermark, page by page. */
@ActivityInterface
public interface ShopifyIncrementalSyncActivities {

  /**
   * Pages through the products updated since the shop's watermark, writing each page in one
   * transaction with the operation's counts; the cursor travels in the heartbeat, so a retry
   * resumes at the page it stopped on. Moves the watermark when every page is written.
   */
  Synced syncUpdatedProducts(SyncProducts request);
}
