package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.TaskQueue;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Temporal does not interrupt an attempt that timed out: the attempt learns it only when its next
 * heartbeat is refused. The long activities let that exception end them (none catches it), so the
 * attempt stops and its budget permit goes back; this pins the mechanism they rely on, with the
 * worker tuned as in production (QueueTuning, SharedActivityBudget).
 */
class HeartbeatRefusedTest {

  @WorkflowInterface
  public interface Looping {
    @WorkflowMethod
    String run();
  }

  @ActivityInterface
  public interface Loop {
    void loop();
  }

  public static class LoopingImpl implements Looping {
    private final Loop loop = Workflow.newActivityStub(Loop.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(3))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());

    @Override
    public String run() {
      try {
        loop.loop();
        return "completed";
      } catch (ActivityFailure e) {
        return "failed";
      }
    }
  }

  private final TestWorkflowEnvironment env =
      TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void anAttemptWhoseHeartbeatIsRefusedAfterItsTimeoutStopsAndGivesItsPermitBack() throws Exception {
    SharedActivityBudget budget = new SharedActivityBudget(4, Map.of(), Map.of());
    WorkerSettings settings = new WorkerSettings(
        "api,worker", 3, null, null, null, Duration.ofSeconds(300), Duration.ofSeconds(5), Duration.ZERO, 10, Map.of());
    Worker worker = env.newWorker("batch", QueueTuning.apply(WorkerOptions.newBuilder(), TaskQueue.BATCH, settings, budget).build());
    worker.registerWorkflowImplementationTypes(LoopingImpl.class);
    CompletableFuture<Throwable> stoppedBy = new CompletableFuture<>();
    CompletableFuture<Void> running = new CompletableFuture<>();
    worker.registerActivitiesImplementations((Loop) () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      running.complete(null);
      Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
      try {
        // Work in small steps with a heartbeat after each, as the long activities do.
        while (Instant.now().isBefore(giveUp)) {
          activity.heartbeat(null);
          Thread.sleep(100);
        }
        stoppedBy.complete(null);
      } catch (ActivityCompletionException e) {
        stoppedBy.complete(e);
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stoppedBy.complete(e);
      }
    });
    env.start();

    Looping looping = env.getWorkflowClient()
        .newWorkflowStub(Looping.class, WorkflowOptions.newBuilder().setTaskQueue("batch").setWorkflowId("looping").build());
    CompletableFuture<String> result = WorkflowClient.execute(looping::run);
    running.get(60, TimeUnit.SECONDS);
    assertThat(use(budget).running()).as("the attempt holds a permit while it runs").isEqualTo(1);

    assertThat(result.get(90, TimeUnit.SECONDS)).as("the workflow saw the attempt time out").isEqualTo("failed");
    assertThat(stoppedBy.get(90, TimeUnit.SECONDS))
        .as("the attempt stopped at its first heartbeat after the timeout, not at its own end")
        .isInstanceOf(ActivityCompletionException.class);
    awaitTrue(() -> use(budget).running() == 0);
    assertThat(use(budget).running()).as("its permit came back").isZero();
  }

  private static SharedActivityBudget.QueueUse use(SharedActivityBudget budget) {
    return budget.use().stream().filter(u -> u.queue() == TaskQueue.BATCH).findFirst().orElseThrow();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
  }
}
