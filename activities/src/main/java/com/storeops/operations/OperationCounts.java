package com.storeops.operations;

/** Items an operation has worked through, and how each ended. */
public record OperationCounts(long done, long succeeded, long failed, long skipped) {

  public static OperationCounts succeeded(long items) {
    return new OperationCounts(items, items, 0, 0);
  }
}
