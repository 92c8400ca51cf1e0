package com.storeops.sync;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ShopifySyncScheduleActivities {

  /** Starts an incremental sync of the shop; false when one is already running (none started). */
  boolean startIncrementalSync(String shop);
}
