package com.storeops.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The activity options the worker registers every workflow with. Short bookkeeping stubs (an
 * operation's outcome, a page of ids, a cleanup, the schedule's start) are made by {@link #newStub}
 * and set no timeout, so OPERATION_TIMEOUT bounds each of their attempts; long heartbeating work
 * sets its own. No priority here: an activity inherits its workflow's, which {@code OperationStarter}
 * sets per operation.
 */
public final class ActivityDefaults {

  private ActivityDefaults() {}

  /** OPERATION_TIMEOUT per attempt; retries back off from 1 s to 1 min. */
  public static ActivityOptions activityOptions(Duration operationTimeout) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(operationTimeout)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(1))
            .build())
        .build();
  }

  /**
   * A stub on these defaults with {@code own} (summary, retries; no timeout) laid over them field by
   * field. {@code Workflow.newActivityStub(type, options)} replaces the defaults whole (SDK 1.38:
   * they apply only when no options are given); per-method options are merged over them, so
   * {@code own} goes in as every method's options.
   */
  public static <T> T newStub(Class<T> activities, ActivityOptions own) {
    Map<String, ActivityOptions> perMethod = new HashMap<>();
    for (POJOActivityMethodMetadata method : POJOActivityInterfaceMetadata.newInstance(activities).getMethodsMetadata()) {
      perMethod.put(method.getActivityTypeName(), own);
    }
    return Workflow.newActivityStub(activities, null, perMethod);
  }

  /** What a worker registers each workflow implementation with. */
  public static WorkflowImplementationOptions workflowOptions(Duration operationTimeout) {
    return WorkflowImplementationOptions.newBuilder().setDefaultActivityOptions(activityOptions(operationTimeout)).build();
  }
}
