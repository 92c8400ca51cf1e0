package com.storeops.operations;

import com.storeops.common.OperationActivities;
import org.springframework.stereotype.Component;

@Component
public class OperationActivitiesImpl implements OperationActivities {

  private final Operations operations;
  private final OperationTracker tracker;

  public OperationActivitiesImpl(Operations operations, OperationTracker tracker) {
    this.operations = operations;
    this.tracker = tracker;
  }

  @Override
  public void recordOutcome(Outcome outcome) {
    tracker.track(outcome.operationId(), "recordOutcome",
        () -> operations.finish(outcome.operationId(), outcome.status(), outcome.error()));
  }
}
