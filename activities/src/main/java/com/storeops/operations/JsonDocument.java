package com.storeops.operations;

/** A JSON value stored in a {@code jsonb} column, kept as text: the store does not interpret it. */
public record JsonDocument(String json) {

  public static final JsonDocument EMPTY = new JsonDocument("{}");
}
