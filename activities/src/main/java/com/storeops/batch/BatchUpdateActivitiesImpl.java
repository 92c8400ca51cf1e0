package com.storeops.batch;

import com.storeops.operations.OperationError;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyPushActivities;
import com.storeops.sync.ShopifyPushActivities.PushFields;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch update's database side. The request comes from the operation's stored parameters (the
 * original's, for a revert), so workflow inputs stay a few ids long.
 */
@Component
@EnableConfigurationProperties(BatchSettings.class)
public class BatchUpdateActivitiesImpl implements BatchUpdateActivities {

  /** The failure type of a batch that bad data stopped; its message says which data and why. */
  static final String BAD_DATA = "BatchBadData";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  // About 200 variants: one heartbeat per chunk, a chunk's inventory in one mutation.
  private static final int PUSH_CHUNK_PRODUCTS = 100;

  private final BatchUpdates updates;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ShopifyPushActivities push;
  private final ShopifySettings shopify;
  private final BatchSettings settings;

  public BatchUpdateActivitiesImpl(BatchUpdates updates, Operations operations, OperationTracker tracker,
      ShopifyPushActivities push, ShopifySettings shopify, BatchSettings settings) {
    this.updates = updates;
    this.operations = operations;
    this.tracker = tracker;
    this.push = push;
    this.shopify = shopify;
    this.settings = settings;
  }

  @Override
  public long snapshot(Apply request) {
    return tracker.track(request.operationId(), "snapshot", () -> {
      operations.markRunning(request.operationId());
      long total;
      try {
        total = request.revertOf() != null
            ? updates.toRevert(request.revertOf())
            : updates.snapshot(request.operationId(), request(request.operationId()), settings.chunkProducts());
      } catch (DataAccessException e) {
        throw classified(e, "snapshot");
      }
      operations.setTotal(request.operationId(), total);
      return total;
    });
  }

  @Override
  public Applied apply(Apply request) {
    UUID id = request.operationId();
    return tracker.track(id, "apply", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      BatchUpdateRequest.Changes changes = request(request.revertOf() != null ? request.revertOf() : id).changes();
      long after = -1; // a retry walks from the first chunk once; done chunks are skipped by their marks
      while (true) {
        Optional<BatchUpdates.Chunk> chunk;
        try {
          chunk = request.revertOf() != null
              ? updates.revertNext(id, request.revertOf(), changes, after)
              : updates.applyNext(id, changes, after);
        } catch (DataAccessException e) {
          throw classified(e, after < 0 ? "the first chunk" : "the chunk after chunk " + after);
        }
        if (chunk.isEmpty()) {
          return operations.find(id).map(op -> new Applied(op.itemsDone(), op.succeededCount())).orElseThrow();
        }
        after = chunk.get().chunk();
        activity.heartbeat(chunk.get().products()); // throws when the workflow cancels: between chunks
      }
    });
  }

  @Override
  public Applied pushToShopify(Apply request) {
    UUID id = request.operationId();
    UUID snapshot = request.revertOf() != null ? request.revertOf() : id;
    return tracker.track(id, "pushToShopify", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      PushFields fields = pushFields(request(snapshot).changes(), request.revertOf() != null);
      long after = activity.getHeartbeatDetails(Long.class).orElse(0L);
      long pushed = 0;
      while (true) {
        List<Long> products = updates.productsToPush(snapshot, after, PUSH_CHUNK_PRODUCTS);
        if (products.isEmpty()) {
          return new Applied(0, pushed);
        }
        List<Long> variants = fields.variantFields() || fields.inventory() ? updates.variantsToPush(snapshot, products) : List.of();
        // The chunk's first product names it: a retry of this chunk sends the same idempotency key.
        ShopifyPushActivities.Pushed result = push.pushChanges(new ShopifyPushActivities.PushChanges(shopify.shop(),
            id + ":" + products.get(0), products, variants, fields));
        pushed += result.pushed();
        // A retry sends the chunks after its last heartbeat again: a refusal recorded then is not recorded twice.
        operations.addErrorsOnce(id, pushErrors(products, result.errors()));
        after = products.get(products.size() - 1);
        activity.heartbeat(after);
      }
    });
  }

  /**
   * Shopify's refusals of one pushed chunk of {@code products} (in id order), each located at its
   * chunk: some refusals read alike for every chunk, and only a chunk sent again may fold into one.
   */
  static List<OperationError> pushErrors(List<Long> products, List<String> refusals) {
    String chunk = "Shopify push of products " + products.get(0) + " to " + products.get(products.size() - 1);
    return refusals.stream().map(e -> new OperationError(chunk, null, null, e)).toList();
  }

  /**
   * Exactly what the batch changed. A revert sends the values it put back: tags as the whole stored
   * list (the original's additions are not all its own to remove), an inventory delta negated.
   */
  static PushFields pushFields(BatchUpdateRequest.Changes c, boolean revert) {
    BatchUpdateRequest.InventoryChange inventory = c.inventory();
    Integer delta = inventory == null || inventory.mode() != BatchUpdateRequest.InventoryMode.ADD ? null
        : revert ? -inventory.add() : inventory.add();
    boolean relativeTags = c.tags() != null && !revert;
    return new PushFields(c.price() != null, c.compareAtPrice() != null, false, c.status() != null, c.tags() != null && revert,
        relativeTags ? c.tags().add() : List.of(), relativeTags ? c.tags().remove() : List.of(), inventory != null, delta);
  }

  /**
   * Bad data or an outage. A value its column cannot hold (SQLSTATE class 22) or a constraint the
   * change breaks (class 23) fails the same way on every retry: it ends the operation with the
   * reason, earlier chunks kept and revertible. Anything else (connection refused or lost, a
   * timeout, a deadlock) is an outage and goes back to Temporal to retry with backoff.
   */
  static RuntimeException classified(DataAccessException e, String where) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof SQLException)) {
      cause = cause.getCause();
    }
    String state = cause == null ? null : ((SQLException) cause).getSQLState();
    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
      return ApplicationFailure.newNonRetryableFailure(where + " holds data the change cannot apply to: " + cause.getMessage(),
          BAD_DATA);
    }
    return e;
  }

  /** The batch request operation {@code id} was started with. */
  private BatchUpdateRequest request(UUID id) {
    try {
      return BatchRequests.read(JSON.readTree(operations.parameters(id).json()).path("request"));
    } catch (BatchRequestException e) {
      throw ApplicationFailure.newNonRetryableFailure("stored batch request is invalid: " + e.field() + ": " + e.getMessage(),
          "BatchRequestInvalid");
    }
  }
}
