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
  public boolean startIncrementalSync(String shop) {
    repository.forgetOldDeliveries();
    return starter.start(shop, false, "schedule").started();
  }
}
