package com.storeops.sync;

import com.storeops.common.ActivityDefaults;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ShopifySyncScheduleWorkflowImpl implements ShopifySyncScheduleWorkflow {

  // Each round adds a handful of events; starting afresh keeps the history bounded forever.
  static final int ROUNDS_BEFORE_CONTINUE_AS_NEW = 100;

  // A bookkeeping call: OPERATION_TIMEOUT (the worker's default activity options) bounds an attempt.
  private final ShopifySyncScheduleActivities scheduleActivities = ActivityDefaults.newStub(
      ShopifySyncScheduleActivities.class,
      ActivityOptions.newBuilder()
          .setSummary("Start an incremental sync unless one runs")
          .build());

  private boolean changed;
  // Set by run, or first by a configure signal delivered with the start (signal-with-start).
  private Timing timing;

  @Override
  public void run(Schedule schedule) {
    changed = changed || schedule.changed();
    if (timing == null) {
      timing = new Timing(schedule.intervalSeconds(), schedule.debounceSeconds());
    }
    for (int round = 0; round < ROUNDS_BEFORE_CONTINUE_AS_NEW; round++) {
      awaitIntervalOrChange();
      boolean forChanges = changed;
      if (changed) {
        Duration debounce = Duration.ofSeconds(Math.max(1, timing.debounceSeconds()));
        // Quiet for `debounce`, or at the latest six of them after the first change.
        long latest = Workflow.currentTimeMillis() + 6 * debounce.toMillis();
        do {
          changed = false;
        } while (Workflow.await(debounce, () -> changed) && Workflow.currentTimeMillis() < latest);
      }
      changed = false;
      if (!scheduleActivities.startIncrementalSync(new ShopifySyncScheduleActivities.SyncStart(schedule.shop(), forChanges))) {
        // A sync is running and may already be past the change: sync again once it has ended.
        changed = true;
      }
    }
    Workflow.continueAsNew(new Schedule(schedule.shop(), timing.intervalSeconds(), timing.debounceSeconds(), changed));
  }

  /**
   * Until a change arrives or the interval has passed since this wait began. A new timing restarts
   * the timer for what is left of its own interval, so the interval stays the time between syncs.
   */
  private void awaitIntervalOrChange() {
    long since = Workflow.currentTimeMillis();
    // The first pass always starts the interval's timer, a change pending or not: the command
    // sequence running schedules were recorded with.
    do {
      Timing waitingOn = timing;
      long left = since + interval(waitingOn).toMillis() - Workflow.currentTimeMillis();
      if (left <= 0 || !Workflow.await(Duration.ofMillis(left), () -> changed || timing != waitingOn)) {
        return;
      }
    } while (!changed);
  }

  private static Duration interval(Timing timing) {
    return timing.intervalSeconds() > 0 ? Duration.ofSeconds(timing.intervalSeconds()) : Duration.ofDays(365);
  }

  @Override
  public void productsChanged() {
    changed = true;
  }

  @Override
  public void configure(Timing configured) {
    if (!configured.equals(timing)) {
      timing = configured;
    }
  }
}
