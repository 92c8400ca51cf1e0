package com.storeops.sync;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ShopifySyncScheduleActivities {

  /**
   * @param forChanges the shop reported changes (or a sync found running had to be followed up),
   *     rather than the interval having passed: such a sync goes before periodic ones in its queue
   */
  record SyncStart(String shop, boolean forChanges) {}

  /** Starts an incremental sync of the shop; false when one is already running (none started). */
  boolean startIncrementalSync(SyncStart start);
}
