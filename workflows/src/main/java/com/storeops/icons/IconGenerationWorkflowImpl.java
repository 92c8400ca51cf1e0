package com.storeops.icons;

import com.storeops.common.ActivityDefaults;
import com.storeops.common.OperationDetails;
import com.storeops.common.OperationOutcome;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class IconGenerationWorkflowImpl implements IconGenerationWorkflow {

  // A batch per activity, committed product by product: each activity's fixed cost (Temporal's
  // round trips, reading the operation, bookkeeping) is shared by a few renders, while progress still
  // moves per product. Small batches keep the cores busy to the end of a page.
  static final int BATCH = 4;
  static final int PAGE = 200;
  // Each activity is a few events: start afresh after this many products so the history stays bounded.
  static final int PRODUCTS_PER_RUN = 1000;

  private static final RetryOptions RETRY = RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(5).build();

  // One indexed query per page: OPERATION_TIMEOUT (the worker's default activity options) bounds an attempt.
  private final IconActivities productPaging = ActivityDefaults.newStub(
      IconActivities.class,
      ActivityOptions.newBuilder()
          .setSummary("Next " + PAGE + " selected products")
          .setRetryOptions(RETRY)
          .build());

  // A batch heartbeats after each product; a retry starts after the last one its heartbeat confirmed.
  private final IconActivities iconRendering = Workflow.newActivityStub(
      IconActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setSummary("Icons of up to " + BATCH + " products")
          .setRetryOptions(RETRY)
          .build());

  private final OperationOutcome outcome = new OperationOutcome();

  @Override
  public IconResult generate(IconRun run) {
    return outcome.run(run.operationId(), () -> render(run));
  }

  /** This run's pages; ends by continuing as new (which leaves the workflow method) or with the result. */
  private IconResult render(IconRun run) {
    long after = run.after();
    for (int handled = 0; handled < PRODUCTS_PER_RUN; ) {
      List<Long> page = productPaging.nextProducts(new IconActivities.ProductsAfter(run.operationId(), after, PAGE)).productIds();
      if (page.isEmpty()) {
        return new IconResult(after);
      }
      // All of the page at once: the generation queue's budget decides how many render together.
      List<Promise<IconActivities.Rendered>> renders = new ArrayList<>();
      for (int i = 0; i < page.size(); i += BATCH) {
        List<Long> batch = new ArrayList<>(page.subList(i, Math.min(i + BATCH, page.size())));
        renders.add(Async.function(iconRendering::renderProducts, new IconActivities.RenderBatch(run.operationId(), batch)));
      }
      Promise.allOf(renders).get();
      after = page.get(page.size() - 1);
      handled += page.size();
      Workflow.setCurrentDetails(OperationDetails.running(run.operationId(), handled + " products handled in this run, up to product id " + after));
    }
    Workflow.continueAsNew(new IconRun(run.operationId(), after));
    throw new IllegalStateException("continueAsNew returned");
  }
}
