package com.storeops.faults;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** Main of the second JVM in {@link SecondProcessWorkflowTest}: a worker and a client, nothing else. */
public final class RemoteWorkflowProcess {

  static final String QUEUE = "second-process-probe";

  @WorkflowInterface
  public interface Greet {
    @WorkflowMethod
    String greet(String name);
  }

  @ActivityInterface
  public interface Compose {
    String compose(String name);
  }

  public static class GreetImpl implements Greet {
    private final Compose compose = Workflow.newActivityStub(
        Compose.class, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String greet(String name) {
      return compose.compose(name);
    }
  }

  public static void main(String[] args) {
    String target = args[0];
    String workflowId = args[1];
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(GreetImpl.class);
    worker.registerActivitiesImplementations((Compose) name -> "Hello, " + name);
    factory.start();
    Greet greet = client.newWorkflowStub(
        Greet.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(workflowId).build());
    System.out.println("RESULT " + greet.greet(args[2]));
    factory.shutdownNow();
    stubs.shutdownNow();
    System.exit(0);
  }
}
