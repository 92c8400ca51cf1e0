package com.storeops.operations;

import io.temporal.common.Priority;

/**
 * Who asked for an operation, which sets its place within its task queue: Temporal serves a lower
 * priority key first (keys 1–5, 3 when unset), and an activity whose stub sets no priority inherits
 * its workflow's. Someone waiting on the API, or a shop that has just changed, goes before a sync
 * only the clock asked for. Queues are not ordered against each other by this key; the activity
 * budget's weights do that.
 */
public enum OperationOrigin {
  /** An API call or a webhook's changes. */
  REQUESTED(2),
  /** The periodic sync schedule. */
  SCHEDULED(4);

  private final int priorityKey;

  OperationOrigin(int priorityKey) {
    this.priorityKey = priorityKey;
  }

  public Priority priority() {
    return Priority.newBuilder().setPriorityKey(priorityKey).build();
  }
}
