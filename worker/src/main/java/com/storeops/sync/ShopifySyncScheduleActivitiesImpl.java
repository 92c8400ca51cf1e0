package com.storeops.sync;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
public class ShopifySyncScheduleActivitiesImpl implements ShopifySyncScheduleActivities {

  private final ShopifySyncStarter starter;
  private final JdbcClient jdbc;

  public ShopifySyncScheduleActivitiesImpl(ShopifySyncStarter starter, JdbcClient jdbc) {
    this.starter = starter;
    this.jdbc = jdbc;
  }

  @Override
  public boolean startIncrementalSync(String shop) {
    // Shopify retries a webhook for 48 hours: a week of delivery ids is enough to spot repeats.
    jdbc.sql("delete from shopify_webhook_deliveries where received_at < now() - interval '7 days'").update();
    return starter.start(shop, false, "schedule").started();
  }
}
