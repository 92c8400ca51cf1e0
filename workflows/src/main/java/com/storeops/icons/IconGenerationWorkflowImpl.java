package com.storeops.icons;

import com.storeops.common.FailedOutcome;
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

  static final int PAGE = 50;
  // Each product is a few events: start afresh after this many so the history stays bounded.
  static final int PRODUCTS_PER_RUN = 1000;

  private static final Priority PRIORITY = Priority.newBuilder().setPriorityKey(TaskQueue.GENERATION.priorityKey()).build();

  private final IconActivities activities = Workflow.newActivityStub(
      IconActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setPriority(PRIORITY)
          .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(5).build())
          .build());

  @Override
  public IconResult generate(IconRequest request) {
    long after = request.after();
    try {
      for (int handled = 0; handled < PRODUCTS_PER_RUN; ) {
        List<Long> page = activities.nextProducts(request.operationId(), after, PAGE);
        if (page.isEmpty()) {
          activities.finish(request.operationId(), "COMPLETED", null);
          return new IconResult("COMPLETED", null);
        }
        // All of the page at once: the generation queue's budget decides how many render together.
        List<Promise<String>> renders = new ArrayList<>();
        for (long product : page) {
          renders.add(Async.function(activities::renderProduct, request.operationId(), product));
        }
        Promise.allOf(renders).get();
        after = page.get(page.size() - 1);
        handled += page.size();
      }
    } catch (ActivityFailure | CanceledFailure e) {
      FailedOutcome outcome = FailedOutcome.of(e);
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
