package com.storeops.sync;

import com.storeops.common.TaskQueue;
import com.storeops.shopify.ShopifySettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The configured shop's {@link ShopifySyncScheduleWorkflow}: started or reconfigured when storeops
 * starts (when a shop is configured), and signalled — started first if need be — when a webhook reports changes.
 */
@Component
public class ShopifySyncSchedule {

  private static final Logger log = LoggerFactory.getLogger(ShopifySyncSchedule.class);

  private final WorkflowClient temporal;
  private final ShopifySettings settings;
  private final Duration interval;
  private final Duration debounce;

  public ShopifySyncSchedule(WorkflowClient temporal, ShopifySettings settings, ShopifySyncSettings sync) {
    this.temporal = temporal;
    this.settings = settings;
    this.interval = sync.syncInterval();
    this.debounce = sync.webhookDebounce();
  }

  /**
   * Starts the schedule, or hands the running one this process's interval and debounce: the
   * configured values win after a restart, on the test server and a real cluster alike.
   */
  @EventListener(ApplicationReadyEvent.class)
  void startWhenConfigured() {
    if (settings.shop() == null || settings.shop().isBlank()) {
      return;
    }
    try {
      WorkflowStub schedule = temporal.newUntypedWorkflowStub("ShopifySyncScheduleWorkflow", options());
      schedule.signalWithStart("configure", new Object[] {timing()}, new Object[] {schedule(false)});
      log.info("Periodic Shopify sync of {} every {}", settings.shop(), interval.isZero() ? "(never: webhooks only)" : interval);
    } catch (RuntimeException e) {
      log.warn("Could not start the periodic Shopify sync now ({}); the next webhook will", e.getMessage());
    }
  }

  /** The shop reported product changes: a sync starts once it has been quiet for the debounce. */
  public void productsChanged() {
    WorkflowStub schedule = temporal.newUntypedWorkflowStub("ShopifySyncScheduleWorkflow", options());
    schedule.signalWithStart("productsChanged", new Object[0], new Object[] {schedule(true)});
  }

  public String workflowId() {
    return "shopify-sync-schedule-" + settings.shop().replaceAll("[^A-Za-z0-9.-]", "_");
  }

  private WorkflowOptions options() {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueue.SYNC.queueName())
        .setWorkflowId(workflowId())
        .setStaticSummary("Keeps " + settings.shop() + " in sync")
        .build();
  }

  private ShopifySyncScheduleWorkflow.Timing timing() {
    return new ShopifySyncScheduleWorkflow.Timing(interval.toSeconds(), debounce.toSeconds());
  }

  private ShopifySyncScheduleWorkflow.Schedule schedule(boolean changed) {
    return new ShopifySyncScheduleWorkflow.Schedule(settings.shop(), interval.toSeconds(), debounce.toSeconds(), changed);
  }
}
