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
      return new FailedOutcome("CANCELLED", null, true);
    }
    Throwable cause = e.getCause();
    String reason = cause instanceof ApplicationFailure failure ? failure.getOriginalMessage()
        : cause == null ? e.getMessage() : cause.getMessage();
    return new FailedOutcome("FAILED", reason, false);
  }
}
