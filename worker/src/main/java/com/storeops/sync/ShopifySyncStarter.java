package com.storeops.sync;

import com.storeops.common.OperationType;
import com.storeops.common.TaskQueue;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationRepository;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a sync of a shop unless one is running — for the REST API, the periodic schedule and
 * webhooks alike. "One per shop" is a partial unique index on {@code operations}, so it holds even
 * for triggers racing each other in different processes.
 */
@Component
public class ShopifySyncStarter {

  /** The shop's sync operation, and whether this call started it. */
  public record Started(Operation operation, boolean started) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final OperationRepository operations;
  private final JdbcClient jdbc;
  private final WorkflowClient temporal;

  public ShopifySyncStarter(OperationRepository operations, JdbcClient jdbc, WorkflowClient temporal) {
    this.operations = operations;
    this.jdbc = jdbc;
    this.temporal = temporal;
  }

  public Started start(String shop, boolean full, String trigger) {
    Optional<Operation> running = running(shop);
    if (running.isPresent()) {
      return new Started(running.get(), false);
    }
    UUID id = UUID.randomUUID();
    String workflowId = "shopify-sync-" + shop.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + id.toString().substring(0, 8);
    String mode = full ? "full" : "incremental";
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("shop", shop, "mode", mode, "trigger", trigger)));
    Operation operation;
    try {
      operation = operations.save(Operation.pending(id, OperationType.SHOPIFY_SYNC, workflowId, parameters, Instant.now()));
    } catch (DataIntegrityViolationException | DbActionExecutionException e) {
      // Another trigger won the race for this shop (operations_one_sync_per_shop): answer its operation.
      return running(shop).map(op -> new Started(op, false)).orElseThrow(() -> e);
    }
    ShopifySyncWorkflow workflow = temporal.newWorkflowStub(ShopifySyncWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueue.SYNC.queueName())
        .setWorkflowId(workflowId)
        .setPriority(Priority.newBuilder().setPriorityKey(TaskQueue.SYNC.priorityKey()).build())
        .setStaticSummary((full ? "Full" : "Incremental") + " sync of " + shop + " (" + trigger + ")")
        .build());
    try {
      WorkflowClient.start(workflow::sync, new ShopifySyncWorkflow.SyncRequest(id, shop, full));
    } catch (RuntimeException e) {
      operations.save(operation.failed("could not start the sync workflow: Temporal is unreachable", Instant.now()));
      throw e;
    }
    return new Started(operation, true);
  }

  private Optional<Operation> running(String shop) {
    return jdbc.sql("select id from operations where type = 'SHOPIFY_SYNC' and status in ('PENDING', 'RUNNING')"
            + " and parameters ->> 'shop' = ?")
        .param(shop).query(UUID.class).optional().flatMap(operations::findById);
  }
}
