package com.storeops.common;

import io.temporal.activity.ActivityInterface;
import java.util.UUID;

/**
 * What every operation's workflow records on its row in the operations table, whatever the type.
 * Registered on all four task queues, so a workflow's stub reaches it on its own queue.
 */
@ActivityInterface
public interface OperationActivities {

  /** Ends the operation's row: COMPLETED, FAILED with the reason, or CANCELED. */
  void recordOutcome(Outcome outcome);

  /** @param error the reason, only for FAILED */
  record Outcome(UUID operationId, OperationStatus status, String error) {}
}
