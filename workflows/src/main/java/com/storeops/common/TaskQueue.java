package com.storeops.common;

import java.util.Arrays;

/**
 * The four task queues activities run on, highest priority first.
 *
 * <p>{@link #priorityKey()} is Temporal's {@code Priority.priorityKey} (1 is served first by a
 * server that orders within a queue); {@link #defaultWeight()} is this queue's share of a worker's
 * activity budget when queues compete. Both follow the queue's rank: a Shopify sync keeps the shop
 * correct, icons and batch edits are operator-visible, imports are bulk work that can wait.
 */
public enum TaskQueue {
  SYNC("sync", 1, 4),
  GENERATION("generation", 2, 3),
  BATCH("batch", 3, 2),
  IMPORT("import", 4, 1);

  private final String queueName;
  private final int priorityKey;
  private final int defaultWeight;

  TaskQueue(String queueName, int priorityKey, int defaultWeight) {
    this.queueName = queueName;
    this.priorityKey = priorityKey;
    this.defaultWeight = defaultWeight;
  }

  /** The Temporal task queue name. */
  public String queueName() {
    return queueName;
  }

  public int priorityKey() {
    return priorityKey;
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
