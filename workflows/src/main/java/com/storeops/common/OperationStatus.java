package com.storeops.common;

/** Lifecycle of an operation as recorded in the {@code operations} table. */
public enum OperationStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELED;

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELED;
  }
}
