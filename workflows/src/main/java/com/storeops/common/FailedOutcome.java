package com.storeops.common;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;

/**
 * How an operation ends when an activity failed for good or the workflow was cancelled: the status
 * for the operations table and the reason to show — the activity's own message, without the type
 * and flags Temporal wraps around it.
 */
public record FailedOutcome(String status, String error, boolean cancelled) {

  public static FailedOutcome of(RuntimeException e) {
    if (e instanceof CanceledFailure || e.getCause() instanceof CanceledFailure) {
      return new FailedOutcome("CANCELED", null, true);
    }
    Throwable cause = e.getCause();
    String reason = cause instanceof ApplicationFailure failure ? failure.getOriginalMessage()
        : cause == null ? e.getMessage() : cause.getMessage();
    return new FailedOutcome("FAILED", reason, false);
  }

  /** What the Temporal Web UI shows as the workflow's current details once it has ended this way. */
  public String details() {
    return cancelled ? "**Canceled:** stopped at a checkpoint; work committed before it stays" : "**Failed:** " + error;
  }
}
