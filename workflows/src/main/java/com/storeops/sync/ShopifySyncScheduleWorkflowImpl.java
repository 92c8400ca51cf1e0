package com.storeops.sync;

import com.storeops.common.TaskQueue;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ShopifySyncScheduleWorkflowImpl implements ShopifySyncScheduleWorkflow {

  // Each round adds a handful of events; starting afresh keeps the history bounded forever.
  static final int ROUNDS_BEFORE_CONTINUE_AS_NEW = 100;

  private final ShopifySyncScheduleActivities scheduleActivities = Workflow.newActivityStub(
      ShopifySyncScheduleActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setSummary("Start an incremental sync unless one runs")
          .setPriority(Priority.newBuilder().setPriorityKey(TaskQueue.SYNC.priorityKey()).build())
          .build());

  private boolean changed;

  @Override
  public void run(Schedule schedule) {
    changed = schedule.changed();
    Duration interval = schedule.intervalSeconds() > 0 ? Duration.ofSeconds(schedule.intervalSeconds()) : Duration.ofDays(365);
    Duration debounce = Duration.ofSeconds(Math.max(1, schedule.debounceSeconds()));
    for (int round = 0; round < ROUNDS_BEFORE_CONTINUE_AS_NEW; round++) {
      Workflow.await(interval, () -> changed);
      if (changed) {
        // Quiet for `debounce`, or at the latest six of them after the first change.
        long latest = Workflow.currentTimeMillis() + 6 * debounce.toMillis();
        do {
          changed = false;
        } while (Workflow.await(debounce, () -> changed) && Workflow.currentTimeMillis() < latest);
      }
      changed = false;
      if (!scheduleActivities.startIncrementalSync(schedule.shop())) {
        // A sync is running and may already be past the change: sync again once it has ended.
        changed = true;
      }
    }
    Workflow.continueAsNew(new Schedule(schedule.shop(), schedule.intervalSeconds(), schedule.debounceSeconds(), changed));
  }

  @Override
  public void productsChanged() {
    changed = true;
  }
}
