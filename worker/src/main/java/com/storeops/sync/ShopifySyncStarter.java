package com.storeops.sync;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationReconciler;
import com.storeops.operations.OperationOrigin;
import com.storeops.operations.OperationStarter;
import com.storeops.operations.Operations;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
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

  /** The trigger of a periodic sync; any other (api, webhook) was asked for. */
  public static final String SCHEDULE = "schedule";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Operations operations;
  private final OperationStarter starter;
  private final OperationReconciler reconciler;

  public ShopifySyncStarter(Operations operations, OperationStarter starter, OperationReconciler reconciler) {
    this.operations = operations;
    this.starter = starter;
    this.reconciler = reconciler;
  }

  /** @param trigger what asked for the sync: {@value #SCHEDULE}, webhook, api */
  public Started start(String shop, boolean full, String trigger) {
    // A row whose workflow no longer runs is ended first, so it never blocks the shop's next sync.
    Optional<Operation> running = running(shop).filter(op -> reconciler.settle(op).isEmpty());
    if (running.isPresent()) {
      return new Started(running.get(), false);
    }
    String mode = full ? "full" : "incremental";
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("shop", shop, "mode", mode, "trigger", trigger)));
    Operation operation;
    try {
      operation = starter.record(OperationType.SHOPIFY_SYNC, shop, parameters);
    } catch (DataIntegrityViolationException | DbActionExecutionException e) {
      // Another trigger won the race for this shop (operations_one_sync_per_shop): answer its operation.
      return running(shop).map(op -> new Started(op, false)).orElseThrow(() -> e);
    }
    // The clock's syncs wait behind the ones an operator or the shop's changes asked for.
    OperationOrigin origin = SCHEDULE.equals(trigger) ? OperationOrigin.SCHEDULED : OperationOrigin.REQUESTED;
    starter.launch(operation, origin, ShopifySyncWorkflow.class, (full ? "Full" : "Incremental") + " sync of " + shop + " (" + trigger + ")",
        workflow -> workflow.sync(new ShopifySyncWorkflow.SyncRequest(operation.id(), shop, full)));
    return new Started(operation, true);
  }

  private Optional<Operation> running(String shop) {
    return operations.findActiveOnShop(OperationType.SHOPIFY_SYNC, shop).flatMap(operations::find);
  }
}
