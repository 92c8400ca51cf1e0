package com.storeops.lab;

import io.temporal.activity.ActivityInterface;

/** Synthetic activity work for the budget lab: hold a connection (or not) for a while. */
@ActivityInterface
public interface LoadActivities {

  /**
   * @param queue where it was scheduled, for the record
   * @param millis how long the work takes
   * @param holdConnection talk to PostgreSQL ({@code pg_sleep}) for the whole time, else only sleep
   */
  record Work(String queue, long millis, boolean holdConnection) {}

  void work(Work work);
}
