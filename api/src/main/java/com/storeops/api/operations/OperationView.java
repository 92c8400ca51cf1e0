package com.storeops.api.operations;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.storeops.common.OperationStatus;
import com.storeops.operations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An operation as the API shows it. {@code status} is PENDING, RUNNING, COMPLETED, FAILED or
 * CANCELED — Temporal's words; {@code temporalUiUrl} is set when TEMPORAL_UI_URL is.
 */
public record OperationView(
    UUID id,
    String type,
    String status,
    Progress progress,
    Counts counts,
    @Schema(types = {"string", "null"}) String error,
    String workflowId,
    @Schema(types = {"string", "null"}) String runId,
    @Schema(types = {"string", "null"}) String temporalUiUrl,
    // Raw JSON text written as the object it is; the document must say object, not the Java type.
    @JsonRawValue @Schema(implementation = Map.class, description = "the request the operation was started with") String parameters,
    Instant createdAt,
    @Schema(types = {"string", "null"}, format = "date-time") Instant startedAt,
    @Schema(types = {"string", "null"}, format = "date-time") Instant finishedAt,
    Instant updatedAt,
    Map<String, String> links) {

  public record Progress(
      long done, @Schema(types = {"integer", "null"}) Long total, @Schema(types = {"integer", "null"}) Integer percent) {}

  public record Counts(long succeeded, long failed, long skipped) {}

  /** Whole percent done; unknown (null) until the operation knows its total, 100 once completed. */
  private static Integer percent(Operation op) {
    if (op.itemsTotal() != null && op.itemsTotal() > 0) {
      return (int) Math.min(100, op.itemsDone() * 100 / op.itemsTotal());
    }
    return op.status() == OperationStatus.COMPLETED ? 100 : null;
  }

  static OperationView of(Operation op, String temporalUiUrl, String namespace) {
    Map<String, String> links = new LinkedHashMap<>();
    links.put("self", "/api/operations/" + op.id());
    links.put("errors", "/api/operations/" + op.id() + "/errors");
    String workflowUrl = null;
    if (temporalUiUrl != null && !temporalUiUrl.isBlank()) {
      // The UI (2.x) answers /namespaces/{ns}/workflows/{id} with the workflow's latest run.
      workflowUrl = temporalUiUrl.replaceAll("/+$", "") + "/namespaces/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
          + "/workflows/" + URLEncoder.encode(op.workflowId(), StandardCharsets.UTF_8);
      links.put("temporal", workflowUrl);
    }
    return new OperationView(
        op.id(), op.type().slug(), op.status().name(),
        new Progress(op.itemsDone(), op.itemsTotal(), percent(op)),
        new Counts(op.succeededCount(), op.failedCount(), op.skippedCount()),
        op.error(), op.workflowId(), op.runId(), workflowUrl,
        op.parameters() == null ? "{}" : op.parameters().json(),
        op.createdAt(), op.startedAt(), op.finishedAt(), op.updatedAt(), links);
  }
}
