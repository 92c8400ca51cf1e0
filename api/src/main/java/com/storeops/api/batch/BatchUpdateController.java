package com.storeops.api.batch;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.RequestFields;
import com.storeops.api.errors.NotFoundException;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.batch.BatchSpec;
import com.storeops.batch.BatchSpecException;
import com.storeops.batch.BatchUpdateWorkflow;
import com.storeops.batch.BatchUpdates;
import com.storeops.common.OperationType;
import com.storeops.common.TaskQueue;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationRepository;
import com.storeops.shopify.ShopifySettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batch updates: validated in full before anything starts (400 naming the field), previewed with
 * {@code dryRun}, run as a chunked workflow, and undone with {@code POST …/revert}.
 */
@ApiRole
@RestController
class BatchUpdateController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BatchUpdates updates;
  private final OperationRepository operations;
  private final OperationViews views;
  private final JdbcClient jdbc;
  private final ShopifySettings shopify;
  private final WorkflowClient temporal;

  BatchUpdateController(BatchUpdates updates, OperationRepository operations, OperationViews views, JdbcClient jdbc,
      ShopifySettings shopify, WorkflowClient temporal) {
    this.updates = updates;
    this.operations = operations;
    this.views = views;
    this.jdbc = jdbc;
    this.shopify = shopify;
    this.temporal = temporal;
  }

  @PostMapping("/api/operations/batch-update")
  ResponseEntity<?> start(@RequestBody(required = false) JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidFieldException("body", "a JSON object with filter and changes is required");
    }
    BatchSpec spec;
    BatchUpdates.Preview preview;
    try {
      spec = BatchSpec.parse(body);
      preview = updates.validate(spec);
    } catch (BatchSpecException e) {
      throw new InvalidFieldException(e.field(), e.getMessage());
    }
    boolean dryRun = RequestFields.flag(body, "dryRun");
    boolean push = RequestFields.flag(body, "pushToShopify");
    if (push && (shopify.shop() == null || shopify.shop().isBlank())) {
      throw new InvalidFieldException("pushToShopify", "no Shopify shop is configured on this storeops (set SHOPIFY_SHOP)");
    }
    if (dryRun) {
      return ResponseEntity.ok(Map.of("dryRun", true, "products", preview.products(), "variants", preview.variants(),
          "sample", preview.sample()));
    }
    ObjectNode parameters = JSON.createObjectNode();
    parameters.set("request", body);
    return start(parameters, null, push, "Batch update of " + preview.products() + " products");
  }

  @PostMapping("/api/operations/{id}/revert")
  ResponseEntity<?> revert(@PathVariable UUID id) {
    Operation original = operations.findById(id).orElseThrow(() -> new NotFoundException("operation", id));
    if (original.type() != OperationType.BATCH_UPDATE) {
      throw new ConflictException("only batch updates can be reverted; " + id + " is " + original.type().slug());
    }
    JsonNode parameters = JSON.readTree(original.parameters().json());
    if (parameters.has("revertOf")) {
      throw new ConflictException(id + " is itself a revert; revert " + parameters.path("revertOf").asString() + " again instead");
    }
    if (!Set.of("COMPLETED", "CANCELLED").contains(original.status().name())) {
      throw new ConflictException("a batch update can be reverted once it has completed or been cancelled; " + id + " is "
          + original.status().name().toLowerCase());
    }
    UUID earlier = jdbc.sql("select id from operations where type = 'BATCH_UPDATE' and parameters ->> 'revertOf' = ?")
        .param(id.toString()).query(UUID.class).optional().orElse(null);
    if (earlier != null) {
      throw new ConflictException(id + " is already reverted by operation " + earlier);
    }
    ObjectNode revert = JSON.createObjectNode();
    revert.put("revertOf", id.toString());
    revert.set("request", parameters.path("request"));
    return start(revert, id, RequestFields.flag(parameters.path("request"), "pushToShopify"), "Revert of batch update " + id);
  }

  private ResponseEntity<OperationView> start(ObjectNode parameters, UUID revertOf, boolean push, String summary) {
    UUID id = UUID.randomUUID();
    String workflowId = "batch-update-" + id;
    Operation operation = operations.save(Operation.pending(id, OperationType.BATCH_UPDATE, workflowId,
        new JsonDocument(JSON.writeValueAsString(parameters)), Instant.now()));
    BatchUpdateWorkflow workflow = temporal.newWorkflowStub(BatchUpdateWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueue.BATCH.queueName())
        .setWorkflowId(workflowId)
        .setPriority(Priority.newBuilder().setPriorityKey(TaskQueue.BATCH.priorityKey()).build())
        .setStaticSummary(summary)
        .build());
    try {
      WorkflowClient.start(workflow::run, new BatchUpdateWorkflow.BatchRequest(id, revertOf, push));
    } catch (RuntimeException e) {
      operations.save(operation.failed("could not start the batch workflow: Temporal is unreachable", Instant.now()));
      throw e;
    }
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + id)).body(views.of(operation));
  }
}
