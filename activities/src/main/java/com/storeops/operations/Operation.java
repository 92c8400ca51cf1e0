package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One run of an operation, as users see it in the API and the dashboard. Temporal holds the
 * durable state; this row is the queryable summary (the embedded test server has no visibility
 * queries, and a listing should not depend on them).
 *
 * @param itemsDone progress numerator (rows, products, chunks — whatever the operation counts)
 * @param itemsTotal progress denominator, null while unknown
 * @param parameters the request, as JSON, without secrets
 */
@Table("operations")
public record Operation(
    @Id UUID id,
    OperationType type,
    OperationStatus status,
    long itemsDone,
    Long itemsTotal,
    long succeededCount,
    long failedCount,
    long skippedCount,
    String error,
    String workflowId,
    String runId,
    JsonDocument parameters,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt,
    @Version Long version) {

  /** A new operation, not yet started. */
  public static Operation pending(UUID id, OperationType type, String workflowId, JsonDocument parameters, Instant now) {
    return new Operation(
        id, type, OperationStatus.PENDING, 0, null, 0, 0, 0, null, workflowId, null, parameters,
        now, null, null, now, null);
  }
}
