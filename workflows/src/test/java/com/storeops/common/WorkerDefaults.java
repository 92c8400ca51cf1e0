package com.storeops.common;

import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;

/** The options the worker registers every workflow with, OPERATION_TIMEOUT at its default: for tests and replays. */
public final class WorkerDefaults {

  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(300);

  private WorkerDefaults() {}

  public static WorkflowImplementationOptions options() {
    return ActivityDefaults.workflowOptions(OPERATION_TIMEOUT);
  }
}
