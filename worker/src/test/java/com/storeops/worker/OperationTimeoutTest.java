package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OPERATION_TIMEOUT reaches the activities whose stubs set no timeout of their own — the operation's
 * outcome among them — through the worker's default activity options; a stub's own timeout wins.
 */
class OperationTimeoutTest {

  @WorkflowInterface
  public interface Probed {
    @WorkflowMethod
    void run(UUID operationId);
  }

  @ActivityInterface
  public interface Probe {
    void probe();
  }

  public static class ProbedImpl implements Probed {
    private final Probe probe = Workflow.newActivityStub(
        Probe.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(7)).build());
    private final OperationOutcome outcome = new OperationOutcome();

    @Override
    public void run(UUID operationId) {
      outcome.run(operationId, () -> {
        probe.probe();
        return null;
      });
    }
  }

  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  private final Map<String, Duration> startToClose = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void anActivityWithoutItsOwnTimeoutGetsOperationTimeout() {
    Worker worker = env.newWorker("import");
    WorkflowImplementationOptions options = new WorkerTuningConfig()
        .defaultActivityOptions(settings(Duration.ofSeconds(123)))
        .customize(WorkflowImplementationOptions.newBuilder(), worker, ProbedImpl.class, null)
        .build();
    worker.registerWorkflowImplementationTypes(options, ProbedImpl.class);
    worker.registerActivitiesImplementations(
        (OperationActivities) outcome -> startToClose.put("recordOutcome", attemptTimeout()),
        (Probe) () -> startToClose.put("probe", attemptTimeout()));
    env.start();

    env.getWorkflowClient()
        .newWorkflowStub(Probed.class, WorkflowOptions.newBuilder().setTaskQueue("import").setWorkflowId("probed").build())
        .run(UUID.randomUUID());

    assertThat(startToClose)
        .containsEntry("recordOutcome", Duration.ofSeconds(123))
        .containsEntry("probe", Duration.ofSeconds(7));
  }

  private static Duration attemptTimeout() {
    return Activity.getExecutionContext().getInfo().getStartToCloseTimeout();
  }

  private static WorkerSettings settings(Duration operationTimeout) {
    return new WorkerSettings("api,worker", 3, null, null, null, operationTimeout, Duration.ofSeconds(5), Duration.ofSeconds(30), 10, Map.of());
  }
}
