package com.storeops.sync;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per shop, always running: starts an incremental sync every {@code intervalSeconds}, and soon
 * after the shop reports product changes (webhooks signal {@link #productsChanged}), a burst of
 * changes becoming one sync. A workflow rather than a Temporal Schedule so that it also runs on the
 * embedded test server, which has no Schedules.
 */
@WorkflowInterface
public interface ShopifySyncScheduleWorkflow {

  /**
   * @param intervalSeconds between periodic syncs; 0 for none (webhooks only)
   * @param debounceSeconds how long the shop must stay quiet after a change before the sync starts
   * @param changed a change arrived and no sync has started for it yet (carried across continue-as-new)
   */
  record Schedule(String shop, long intervalSeconds, long debounceSeconds, boolean changed) {}

  @WorkflowMethod
  void run(Schedule schedule);

  @SignalMethod
  void productsChanged();
}
