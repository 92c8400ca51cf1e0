package com.storeops.common;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recorded histories under {@code src/test/resources/histories}: replayed on every build, and
 * re-recorded by the {@link RecordsHistory} tools with {@code -Precord-histories} (see the README there).
 */
public final class RecordedHistories {

  private static final String RECORD = "storeops.recordHistories";

  private RecordedHistories() {}

  /** Fails when {@code workflow}'s current code would take another path than the recorded one. */
  public static void replay(String file, Class<?> workflow) throws Exception {
    try (InputStream in = RecordedHistories.class.getResourceAsStream("/histories/" + file)) {
      if (in == null) {
        throw new IOException("no recorded history " + file);
      }
      WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      // Registered as the worker registers it: stubs without a timeout of their own take the default.
      try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
        Worker worker = env.newWorker("replay");
        worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), workflow);
        WorkflowReplayer.replayWorkflowExecution(history, worker);
      }
    }
  }

  /** Writes the history of {@code workflowId} as {@code file}. */
  public static void save(WorkflowClient client, String workflowId, String file) throws IOException {
    Files.writeString(Path.of(System.getProperty(RECORD), file), client.fetchHistory(workflowId).toJson(true));
  }
}
