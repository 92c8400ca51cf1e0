package com.storeops.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How every operation's workflow ends, so the operations table and Temporal say the same thing: the
 * outcome is recorded on our row first, then the workflow ends as Temporal names it — Completed,
 * Failed (a non-retryable {@link ApplicationFailure} of type {@value #FAILED_TYPE} carrying the
 * reason) or Canceled. The Web UI's status filters then agree with {@code GET /api/operations}.
 *
 * <p>Create one per workflow execution, as a field of the workflow implementation.
 */
public final class OperationOutcome {

  /** The failure type a failed operation's workflow ends with. */
  public static final String FAILED_TYPE = "OperationFailed";

  // One short statement: OPERATION_TIMEOUT (the worker's default activity options) bounds an attempt.
  private final OperationActivities operationActivities = ActivityDefaults.newStub(
      OperationActivities.class,
      ActivityOptions.newBuilder()
          .setSummary("Record the operation's outcome")
          // Our row must end however long the database is away: retry until it does.
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
          .build());

  /**
   * Runs the workflow's work and records how it ended: COMPLETED with its result, FAILED when an
   * activity failed for good, CANCELED when the workflow was cancelled (work committed before the
   * cancel stays).
   */
  public <R> R run(UUID operationId, Supplier<R> work) {
    return run(operationId, work, result -> "**Completed**");
  }

  /** As {@link #run(UUID, Supplier)}, showing {@code completedDetails} of the result in the Web UI once done. */
  public <R> R run(UUID operationId, Supplier<R> work, Function<R, String> completedDetails) {
    R result;
    try {
      result = work.get();
    } catch (CanceledFailure e) {
      throw canceled(operationId, e);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure cancel) {
        throw canceled(operationId, cancel);
      }
      throw fail(operationId, reason(e));
    }
    Workflow.setCurrentDetails(completedDetails.apply(result));
    operationActivities.recordOutcome(new OperationActivities.Outcome(operationId, OperationStatus.COMPLETED, null));
    return result;
  }

  /**
   * Records FAILED with {@code reason} and returns the failure to throw from the workflow method,
   * which then ends Failed: {@code throw outcome.fail(id, "…")}.
   */
  public ApplicationFailure fail(UUID operationId, String reason) {
    Workflow.setCurrentDetails("**Failed:** " + reason);
    operationActivities.recordOutcome(new OperationActivities.Outcome(operationId, OperationStatus.FAILED, reason));
    return ApplicationFailure.newNonRetryableFailure(reason, FAILED_TYPE);
  }

  private CanceledFailure canceled(UUID operationId, CanceledFailure e) {
    Workflow.setCurrentDetails("**Canceled:** stopped at a checkpoint; work committed before it stays");
    // The workflow is being cancelled: only a detached scope may still call an activity.
    Workflow.newDetachedCancellationScope(() -> operationActivities.recordOutcome(
        new OperationActivities.Outcome(operationId, OperationStatus.CANCELED, null))).run();
    return e;
  }

  /** The failing activity's own message, without the type and flags Temporal wraps around it. */
  private static String reason(ActivityFailure e) {
    Throwable cause = e.getCause();
    return cause instanceof ApplicationFailure failure ? failure.getOriginalMessage()
        : cause == null ? e.getMessage() : cause.getMessage();
  }
}
