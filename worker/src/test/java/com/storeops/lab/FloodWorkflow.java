package com.storeops.lab;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Schedules {@code count} activities on one queue at once and waits for all of them. */
@WorkflowInterface
public interface FloodWorkflow {

  record Flood(String queue, int count, long millis, boolean holdConnection) {}

  @WorkflowMethod
  int flood(Flood flood);
}
