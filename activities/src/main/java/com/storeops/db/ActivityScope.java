package com.storeops.db;

import java.util.function.Supplier;

/**
 * Marks the thread that runs an activity. Its connections are paid for by the activity's budget
 * permit; every other borrower (API requests, health checks, the reconciler, the fleet lease)
 * borrows from the reserve ({@link ReservedConnections}). Activities borrow only on their own
 * thread, so the mark covers each of their borrows.
 */
public final class ActivityScope {

  private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

  private ActivityScope() {}

  public static boolean active() {
    return ACTIVE.get() != null;
  }

  public static <T> T run(Supplier<T> activity) {
    if (active()) {
      return activity.get();
    }
    ACTIVE.set(Boolean.TRUE);
    try {
      return activity.get();
    } finally {
      ACTIVE.remove();
    }
  }
}
