package com.storeops.batch;

/** A batch-update request that cannot run as asked: the field (a JSON path) and why. */
public final class BatchRequestException extends RuntimeException {

  private final String field;

  public BatchRequestException(String field, String reason) {
    super(reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
