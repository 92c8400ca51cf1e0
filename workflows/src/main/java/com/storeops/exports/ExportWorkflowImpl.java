package com.storeops.exports;

import com.storeops.common.OperationOutcome;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.UUID;

public class ExportWorkflowImpl implements ExportWorkflow {

  private final OperationOutcome outcome = new OperationOutcome();

  // The file is written in one activity: it streams from a keyset cursor, so its memory does not
  // grow with the catalogue, and heartbeats after each page; a retry writes the file again.
  private final ExportActivities exportActivities = Workflow.newActivityStub(
      ExportActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setSummary("Write the catalogue as a Shopify product CSV")
          .setRetryOptions(RetryOptions.newBuilder()
              .setMaximumInterval(Duration.ofMinutes(1))
              .setMaximumAttempts(5)
              .setDoNotRetry(IllegalArgumentException.class.getName())
              .build())
          .build());

  @Override
  public ExportResult exportCatalog(ExportRequest request) {
    UUID id = request.operationId();
    return outcome.run(id, () -> {
      ExportActivities.Written written = exportActivities.writeCsv(new ExportActivities.WriteRequest(id, request.generation()));
      return new ExportResult(written.products(), written.rows(), written.bytes());
    }, result -> "**Completed:** " + result.products() + " products in " + result.rows() + " rows");
  }
}
