package com.storeops.sync;

import io.temporal.activity.ActivityInterface;
import java.util.UUID;

/** What the sync workflow asks of Shopify and the database. */
@ActivityInterface
public interface ShopifySyncActivities {

  /**
   * Pages through the shop's products (all, or those updated since the shop's watermark), writing
   * each page in one transaction; the cursor travels in the heartbeat, so a retry resumes at the
   * page it stopped on. Moves the watermark when every page is written.
   */
  Synced syncProducts(SyncProducts request);

  /** After a full sync: soft-deletes the products with a Shopify id that the sync did not see. */
  long removeMissing(UUID operationId);

  /** Records the outcome on the operation. */
  void finish(Finish request);

  record SyncProducts(UUID operationId, String shop, boolean full) {}

  record Synced(long products) {}

  record Finish(UUID operationId, String status, String error) {}
}
