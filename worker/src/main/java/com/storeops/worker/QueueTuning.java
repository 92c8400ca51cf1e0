package com.storeops.worker;

import com.storeops.common.TaskQueue;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.time.Duration;

/** How one queue's worker is sized; the Spring configuration and the load tests both use it. */
public final class QueueTuning {

  private QueueTuning() {}

  public static WorkerOptions.Builder apply(
      WorkerOptions.Builder builder, TaskQueue queue, WorkerSettings settings, SharedActivityBudget budget) {
    WorkerSettings.Queue tuning = settings.queue(queue);
    return builder
        .setWorkerTuner(
            new CompositeTuner(
                // Workflow tasks replay code and talk to Temporal only: no connection, no budget.
                new FixedSizeSlotSupplier<>(settings.workflowTaskSlots()),
                budget.supplier(queue),
                // storeops uses no local activities (they would escape the budget); one slot keeps
                // the SDK's invariants.
                new FixedSizeSlotSupplier<>(1),
                new FixedSizeSlotSupplier<>(1)))
        .setMaxConcurrentActivityTaskPollers(tuning.activityPollers())
        // Cancellation reaches an activity only in the answer to a heartbeat the SDK actually
        // sends; at most 3 s between sends keeps "cancel" prompt for long imports and syncs.
        .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(3))
        .setMaxConcurrentWorkflowTaskPollers(tuning.workflowPollers())
        // Eager dispatch reserves activity slots from the workflow worker, ahead of the queues'
        // waiting reservations; everything goes through the pollers instead.
        .setDisableEagerExecution(true);
  }
}
