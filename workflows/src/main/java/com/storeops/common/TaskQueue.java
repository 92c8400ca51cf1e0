package com.storeops.common;

import java.util.Arrays;

/**
 * The four task queues activities run on, highest priority first.
 *
 * <p>{@link #rank()} (1 first) breaks the activity budget's ties and orders the health page;
 * {@link #defaultWeight()} is this queue's share of a worker's activity budget when queues compete.
 * Both follow the queue's importance: a Shopify sync keeps the shop correct, icons and batch edits
 * are operator-visible, imports are bulk work that can wait. Temporal's priority key orders tasks
 * within one queue only, so it follows the operation's origin instead (OperationOrigin in the worker).
 */
public enum TaskQueue {
  SYNC("sync", 1, 4),
  GENERATION("generation", 2, 3),
  BATCH("batch", 3, 2),
  IMPORT("import", 4, 1);

  private final String queueName;
  private final int rank;
  private final int defaultWeight;

  TaskQueue(String queueName, int rank, int defaultWeight) {
    this.queueName = queueName;
    this.rank = rank;
    this.defaultWeight = defaultWeight;
  }

  /** The Temporal task queue name. */
  public String queueName() {
    return queueName;
  }

  public int rank() {
    return rank;
  }

  public int defaultWeight() {
    return defaultWeight;
  }

  public static TaskQueue ofQueueName(String queueName) {
    return Arrays.stream(values())
        .filter(q -> q.queueName.equals(queueName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown task queue '" + queueName + "'"));
  }
}
