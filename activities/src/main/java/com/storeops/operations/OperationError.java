package com.storeops.operations;

/**
 * A problem with one item of an operation that did not stop the operation: a bad CSV row, a product
 * whose image could not be read. {@code location} says where (e.g. {@code line 42}, a product id);
 * {@code field} and {@code value} may be null.
 */
public record OperationError(String location, String field, String value, String message) {}
