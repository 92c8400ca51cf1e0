package com.storeops.icons;

import com.storeops.common.FailedOutcome;
import com.storeops.common.OperationDetails;
import com.storeops.common.TaskQueue;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class IconGenerationWorkflowImpl implements IconGenerationWorkflow {

  /** Workflows started before batches render one product per activity, fifty a page. */
  static final String BATCHES = "icon-batches";
  static final int PAGE = 50;
  // A batch per activity, committed product by product: each activity's fixed cost (Temporal's
  // round trips, reading the operation, bookkeeping) is shared by a few renders, while progress still
  // moves per product. Small batches keep the cores busy to the end of a page.
  static final int BATCH = 4;
  static final int BATCHED_PAGE = 200;
  // Each activity is a few events: start afresh after this many products so the history stays bounded.
  static final int PRODUCTS_PER_RUN = 1000;

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.GENERATION.priorityKey()).build();

  private final IconActivities activities = Workflow.newActivityStub(
      IconActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setPriority(PRIORITY)
          .setSummary("Icons of one product")
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(5).build())
          .build());

  // A batch heartbeats after each product; a retry starts after the last one its heartbeat confirmed.
  private final IconActivities batches = Workflow.newActivityStub(
      IconActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setPriority(PRIORITY)
          .setSummary("Icons of up to " + BATCH + " products")
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(5).build())
          .build());

  @Override
  public IconResult generate(IconRequest request) {
    long after = request.after();
    boolean batched = Workflow.getVersion(BATCHES, Workflow.DEFAULT_VERSION, 1) == 1;
    try {
      for (int handled = 0; handled < PRODUCTS_PER_RUN; ) {
        List<Long> page = activities.nextProducts(request.operationId(), after, batched ? BATCHED_PAGE : PAGE);
        if (page.isEmpty()) {
          activities.finish(request.operationId(), "COMPLETED", null);
          return new IconResult("COMPLETED", null);
        }
        // All of the page at once: the generation queue's budget decides how many render together.
        List<Promise<?>> renders = new ArrayList<>();
        if (batched) {
          for (int i = 0; i < page.size(); i += BATCH) {
            List<Long> batch = new ArrayList<>(page.subList(i, Math.min(i + BATCH, page.size())));
            renders.add(Async.function(batches::renderProducts, new IconActivities.RenderBatch(request.operationId(), batch)));
          }
        } else {
          for (long product : page) {
            renders.add(Async.function(activities::renderProduct, request.operationId(), product));
          }
        }
        Promise.allOf(renders.toArray(new Promise<?>[0])).get();
        after = page.get(page.size() - 1);
        handled += page.size();
        Workflow.setCurrentDetails(OperationDetails.running(request.operationId(), handled + " products handled in this run, up to product id " + after));
      }
    } catch (ActivityFailure | CanceledFailure e) {
      FailedOutcome outcome = FailedOutcome.of(e);
      Workflow.setCurrentDetails(outcome.details());
      Workflow.newDetachedCancellationScope(() -> activities.finish(request.operationId(), outcome.status(), outcome.error())).run();
      if (outcome.cancelled()) {
        throw e;
      }
      return new IconResult(outcome.status(), outcome.error());
    }
    Workflow.continueAsNew(new IconRequest(request.operationId(), after));
    return null;
  }
}
