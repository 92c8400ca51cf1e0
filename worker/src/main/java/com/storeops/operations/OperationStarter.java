package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The two steps every operation starts with: its PENDING row (what the API and dashboard list), then
 * its workflow on the type's queue at its origin's priority, with a summary the Temporal Web UI shows.
 * A workflow Temporal refused to start leaves a FAILED row, never a PENDING one that nothing runs.
 */
@Component
public class OperationStarter {

  private final Operations operations;
  private final WorkflowClient temporal;

  public OperationStarter(Operations operations, WorkflowClient temporal) {
    this.operations = operations;
    this.temporal = temporal;
  }

  /** Records a new PENDING operation on {@code key} (what it works on: a file, a shop, …). */
  public Operation record(OperationType type, String key, JsonDocument parameters) {
    return operations.create(type, key, parameters);
  }

  /** Starts {@code operation}'s workflow, asked for by someone: {@code call} invokes the workflow method on the stub it is given. */
  public <W> Operation launch(Operation operation, Class<W> workflowType, String summary, Consumer<W> call) {
    return launch(operation, OperationOrigin.REQUESTED, workflowType, summary, call);
  }

  /** Starts {@code operation}'s workflow at {@code origin}'s priority within its queue. */
  public <W> Operation launch(Operation operation, OperationOrigin origin, Class<W> workflowType, String summary, Consumer<W> call) {
    W workflow = temporal.newWorkflowStub(workflowType, WorkflowOptions.newBuilder()
        .setTaskQueue(operation.type().queue().queueName())
        .setWorkflowId(operation.workflowId())
        .setPriority(origin.priority())
        .setStaticSummary(summary)
        .setStaticDetails("storeops operation " + operation.id() + "\n\nGET /api/operations/" + operation.id())
        .build());
    try {
      WorkflowClient.start(() -> call.accept(workflow));
    } catch (RuntimeException e) {
      operations.finish(operation.id(), OperationStatus.FAILED,
          "could not start the " + operation.type().slug() + " workflow: " + reason(e));
      throw e;
    }
    return operation;
  }

  private static String reason(RuntimeException e) {
    return e instanceof io.temporal.client.WorkflowExecutionAlreadyStarted ? "its workflow id is taken" : "Temporal is unreachable";
  }
}
