package com.storeops.api.batch;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.NotFoundException;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.batch.BatchRequestException;
import com.storeops.batch.BatchRequests;
import com.storeops.batch.BatchUpdateRequest;
import com.storeops.batch.BatchUpdateWorkflow;
import com.storeops.batch.BatchUpdates;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationStarter;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifySettings;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batch updates: validated in full before anything starts (400 naming the field), previewed with
 * {@code dryRun}, run as a chunked workflow, and undone with {@code POST …/revert}. The request is
 * stored as sent; the activities read it with the same {@link BatchRequests}.
 */
@ApiRole
@RestController
class BatchUpdateController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BatchUpdates updates;
  private final Operations operations;
  private final OperationViews views;
  private final ShopifySettings shopify;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;

  BatchUpdateController(BatchUpdates updates, Operations operations, OperationViews views, ShopifySettings shopify,
      OperationStarter starter, IdempotentStarts idempotent) {
    this.idempotent = idempotent;
    this.updates = updates;
    this.operations = operations;
    this.views = views;
    this.shopify = shopify;
    this.starter = starter;
  }

  @PostMapping("/api/operations/batch-update")
  ResponseEntity<?> start(@RequestBody(required = false) JsonNode body, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    if (body == null || !body.isObject()) {
      throw new InvalidFieldException("body", "a JSON object with filter and changes is required");
    }
    return idempotent.once(idempotencyKey, "batch-update", body.toString(), () -> start(body));
  }

  private ResponseEntity<?> start(JsonNode body) {
    BatchUpdateRequest request;
    BatchUpdates.Preview preview;
    try {
      request = BatchRequests.read(body);
      preview = updates.validate(request);
    } catch (BatchRequestException e) {
      throw new InvalidFieldException(e.field(), e.getMessage());
    }
    if (request.pushToShopify() && (shopify.shop() == null || shopify.shop().isBlank())) {
      throw new InvalidFieldException("pushToShopify", "no Shopify shop is configured on this storeops (set SHOPIFY_SHOP)");
    }
    if (request.dryRun()) {
      return ResponseEntity.ok(Map.of("dryRun", true, "products", preview.products(), "variants", preview.variants(),
          "sample", preview.sample()));
    }
    ObjectNode parameters = JSON.createObjectNode();
    parameters.set("request", body);
    return start(parameters, null, request.pushToShopify(), String.join("-", body.path("changes").propertyNames()),
        "Batch update of " + preview.products() + " products");
  }

  @PostMapping("/api/operations/{id}/revert")
  ResponseEntity<?> revert(@PathVariable UUID id, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    return idempotent.once(idempotencyKey, "revert", id.toString(), () -> revert(id));
  }

  private ResponseEntity<?> revert(UUID id) {
    Operation original = operations.find(id).orElseThrow(() -> new NotFoundException("operation", id));
    if (original.type() != OperationType.BATCH_UPDATE) {
      throw new ConflictException("only batch updates can be reverted; " + id + " is " + original.type().slug());
    }
    JsonNode parameters = JSON.readTree(original.parameters().json());
    if (parameters.has("revertOf")) {
      throw new ConflictException(id + " is itself a revert; revert " + parameters.path("revertOf").asString() + " again instead");
    }
    if (original.status() != OperationStatus.COMPLETED && original.status() != OperationStatus.CANCELED) {
      throw new ConflictException("a batch update can be reverted once it has completed or been cancelled; " + id + " is "
          + original.status().name());
    }
    operations.findRevertOf(id).ifPresent(earlier -> {
      throw new ConflictException(id + " is already reverted by operation " + earlier);
    });
    ObjectNode revert = JSON.createObjectNode();
    revert.put("revertOf", id.toString());
    revert.set("request", parameters.path("request"));
    boolean push = BatchRequests.read(parameters.path("request")).pushToShopify();
    return start(revert, id, push, "revert-" + id.toString().substring(0, 8), "Revert of batch update " + id);
  }

  private ResponseEntity<OperationView> start(ObjectNode parameters, UUID revertOf, boolean push, String key, String summary) {
    Operation operation = starter.record(OperationType.BATCH_UPDATE, key, new JsonDocument(JSON.writeValueAsString(parameters)));
    starter.launch(operation, BatchUpdateWorkflow.class, summary,
        workflow -> workflow.run(new BatchUpdateWorkflow.BatchRequest(operation.id(), revertOf, push)));
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + operation.id())).body(views.of(operation));
  }
}
