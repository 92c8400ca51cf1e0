package com.storeops.lab;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class FloodWorkflowImpl implements FloodWorkflow {

  @Override
  public int flood(Flood flood) {
    LoadActivities activities = Workflow.newActivityStub(
        LoadActivities.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(flood.queue())
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            // One attempt: a lab run must show failures, not hide them behind retries.
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
    List<Promise<Void>> all = new ArrayList<>();
    for (int i = 0; i < flood.count(); i++) {
      all.add(Async.procedure(activities::work, new LoadActivities.Work(flood.queue(), flood.millis(), flood.holdConnection())));
    }
    Promise.allOf(all).get();
    return all.size();
  }
}
