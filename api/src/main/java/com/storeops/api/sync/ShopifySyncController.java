package com.storeops.api.sync;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationType;
import com.storeops.common.TaskQueue;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationRepository;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifySyncWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a Shopify sync — one per shop at a time: a trigger while one runs answers the running
 * operation (200) instead of starting a second (202).
 */
@ApiRole
@RestController
class ShopifySyncController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code mode}: {@code incremental} (the default) or {@code full}. */
  record SyncBody(String shop, String mode) {}

  private final OperationRepository operations;
  private final OperationViews views;
  private final JdbcClient jdbc;
  private final ShopifySettings settings;
  private final WorkflowClient temporal;

  ShopifySyncController(OperationRepository operations, OperationViews views, JdbcClient jdbc, ShopifySettings settings,
      WorkflowClient temporal) {
    this.operations = operations;
    this.views = views;
    this.jdbc = jdbc;
    this.settings = settings;
    this.temporal = temporal;
  }

  @PostMapping("/api/operations/shopify-sync")
  ResponseEntity<OperationView> start(@RequestBody(required = false) SyncBody body) {
    String shop = body == null || body.shop() == null ? "" : body.shop().strip();
    if (settings.shop() == null || settings.shop().isBlank()) {
      throw new InvalidFieldException("shop", "no Shopify shop is configured on this storeops (set SHOPIFY_SHOP)");
    }
    if (shop.isEmpty()) {
      throw new InvalidFieldException("shop", "required: the shop's domain, " + settings.shop());
    }
    if (!shop.equalsIgnoreCase(settings.shop())) {
      throw new InvalidFieldException("shop", "storeops syncs " + settings.shop() + ", not " + shop);
    }
    String mode = body.mode() == null ? "incremental" : body.mode();
    if (!mode.equals("incremental") && !mode.equals("full")) {
      throw new InvalidFieldException("mode", "must be 'incremental' or 'full'");
    }
    Optional<Operation> running = running(settings.shop());
    if (running.isPresent()) {
      return ResponseEntity.ok(views.of(running.get()));
    }
    UUID id = UUID.randomUUID();
    String workflowId = "shopify-sync-" + settings.shop().replaceAll("[^A-Za-z0-9.-]", "_") + "-" + id.toString().substring(0, 8);
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("shop", settings.shop(), "mode", mode)));
    Operation operation;
    try {
      operation = operations.save(Operation.pending(id, OperationType.SHOPIFY_SYNC, workflowId, parameters, Instant.now()));
    } catch (DataIntegrityViolationException | DbActionExecutionException e) {
      // Another trigger won the race for this shop (operations_one_sync_per_shop): answer its operation.
      return running(settings.shop()).map(op -> ResponseEntity.ok(views.of(op))).orElseThrow(() -> e);
    }
    ShopifySyncWorkflow workflow = temporal.newWorkflowStub(ShopifySyncWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueue.SYNC.queueName())
        .setWorkflowId(workflowId)
        .setPriority(Priority.newBuilder().setPriorityKey(TaskQueue.SYNC.priorityKey()).build())
        .setStaticSummary(("full".equals(mode) ? "Full" : "Incremental") + " sync of " + settings.shop())
        .build());
    try {
      WorkflowClient.start(workflow::sync, new ShopifySyncWorkflow.SyncRequest(id, settings.shop(), "full".equals(mode)));
    } catch (RuntimeException e) {
      operations.save(operation.failed("could not start the sync workflow: Temporal is unreachable", Instant.now()));
      throw e;
    }
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + id)).body(views.of(operation));
  }

  private Optional<Operation> running(String shop) {
    return jdbc.sql("select id from operations where type = 'SHOPIFY_SYNC' and status in ('PENDING', 'RUNNING')"
            + " and parameters ->> 'shop' = ?")
        .param(shop).query(UUID.class).optional().flatMap(operations::findById);
  }
}
