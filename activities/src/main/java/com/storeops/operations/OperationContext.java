package com.storeops.operations;

import java.util.UUID;

/**
 * The operation the current thread works for, while an activity runs inside {@link
 * OperationTracker#track}. The connection pool reads it to label connections in {@code
 * pg_stat_activity}. Activities run one per thread, so a thread-local is exact.
 */
public final class OperationContext {

  private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

  private OperationContext() {}

  public static UUID current() {
    return CURRENT.get();
  }

  static void set(UUID operationId) {
    CURRENT.set(operationId);
  }

  static void clear() {
    CURRENT.remove();
  }
}
