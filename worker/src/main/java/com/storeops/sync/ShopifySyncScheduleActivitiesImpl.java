package com.storeops.sync;

import org.springframework.stereotype.Component;

@Component
public class ShopifySyncScheduleActivitiesImpl implements ShopifySyncScheduleActivities {

  private final ShopifySyncStarter starter;
  private final ShopifySyncRepository repository;

  public ShopifySyncScheduleActivitiesImpl(ShopifySyncStarter starter, ShopifySyncRepository repository) {
    this.starter = starter;
    this.repository = repository;
  }

  @Override
  public boolean startIncrementalSync(SyncStart start) {
    repository.forgetOldDeliveries();
    return starter.start(start.shop(), false, start.forChanges() ? "webhook" : ShopifySyncStarter.SCHEDULE).started();
  }
}
