package com.storeops.sync;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per shop, always running: starts an incremental sync every {@code intervalSeconds}, and soon
 * after the shop reports product changes (webhooks signal {@link #productsChanged}), a burst of
 * changes becoming one sync. A workflow rather than a Temporal Schedule so that it behaves the same
 * on the embedded test server, which has no Schedules. Each storeops start signals (starting it if
 * need be) {@link #configure} with the configured timing, so a running schedule follows
 * SHOPIFY_SYNC_INTERVAL and SHOPIFY_WEBHOOK_DEBOUNCE as they are now, not as they were at its start.
 */
@WorkflowInterface
public interface ShopifySyncScheduleWorkflow {

  /**
   * @param intervalSeconds between periodic syncs; 0 for none (webhooks only)
   * @param debounceSeconds how long the shop must stay quiet after a change before the sync starts
   * @param changed a change arrived and no sync has started for it yet (carried across continue-as-new)
   */
  record Schedule(String shop, long intervalSeconds, long debounceSeconds, boolean changed) {}

  /** The timing storeops is configured with; see {@link Schedule} for the fields. */
  record Timing(long intervalSeconds, long debounceSeconds) {}

  @WorkflowMethod
  void run(Schedule schedule);

  @SignalMethod
  void productsChanged();

  /**
   * Takes {@code timing} from now on: the wait under way ends {@code intervalSeconds} after it began
   * (at once when that has passed), and the next debounce uses {@code debounceSeconds}. The timing
   * already in use changes nothing.
   */
  @SignalMethod
  void configure(Timing timing);
}
