package com.storeops.operations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A workflow Temporal refuses to start leaves its operation FAILED with the reason, through
 * {@link Operations#finish}: the row is never saved back whole over counters others may have added.
 */
class OperationStarterTest {

  @WorkflowInterface
  public interface Idle {
    @WorkflowMethod
    void idle(String id);
  }

  // No worker polls: a started workflow just waits in its queue, which is all a start needs.
  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
  private final Operations operations = mock(Operations.class);
  private final OperationStarter starter = new OperationStarter(operations, temporal.getWorkflowClient());

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void aWorkflowIdTakenLeavesTheOperationFailedWithTheReason() {
    Operation first = pending(OperationType.IMPORT, "import-taken");
    Operation second = pending(OperationType.IMPORT, "import-taken");
    starter.launch(first, Idle.class, "first", w -> w.idle("a"));

    assertThatThrownBy(() -> starter.launch(second, Idle.class, "second", w -> w.idle("b")))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    verify(operations).finish(second.id(), OperationStatus.FAILED, "could not start the import workflow: its workflow id is taken");
    verify(operations, never()).finish(eq(first.id()), any(), any());
  }

  private static Operation pending(OperationType type, String workflowId) {
    return Operation.pending(UUID.randomUUID(), type, workflowId, JsonDocument.EMPTY, Instant.now());
  }
}
