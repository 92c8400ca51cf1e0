package com.storeops.operations;

import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A problem with one item of an operation that did not stop the operation: a bad CSV row, a product
 * whose image could not be read. {@code location} says where (e.g. {@code line 42}, a product id).
 */
@Table("operation_errors")
public record OperationError(
    @Id Long id, UUID operationId, String location, String field, String value, String message, Instant createdAt) {}
