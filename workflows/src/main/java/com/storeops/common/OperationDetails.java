package com.storeops.common;

import java.util.UUID;

/**
 * The text a workflow shows as its current details in the Temporal Web UI (markdown). Live counts
 * live in our operations table, not in the workflow, so the details say the stage and where to look.
 */
public final class OperationDetails {

  private OperationDetails() {}

  public static String running(UUID operationId, String stage) {
    return "**" + stage + "**\n\nLive progress and counts: `GET /api/operations/" + operationId + "` or the storeops dashboard.";
  }
}
