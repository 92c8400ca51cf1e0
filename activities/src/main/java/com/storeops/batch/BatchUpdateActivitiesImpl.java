package com.storeops.batch;

import com.storeops.operations.OperationError;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyPushActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch update's database side. The request comes from the operation's stored parameters (the
 * original's, for a revert), so workflow inputs stay a few ids long.
 */
@Component
@EnableConfigurationProperties(BatchSettings.class)
public class BatchUpdateActivitiesImpl implements BatchUpdateActivities {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PUSH_CHUNK = 250;

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
      long total = request.revertOf() != null
          ? updates.toRevert(request.revertOf())
          : updates.snapshot(request.operationId(), request(request.operationId()));
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
      long after = 0; // a retry walks from the start once; done chunks are skipped by their marks
      while (true) {
        BatchUpdates.Chunk chunk = request.revertOf() != null
            ? updates.revertNext(id, request.revertOf(), changes, after, settings.chunkProducts())
            : updates.applyNext(id, changes, after, settings.chunkProducts());
        after = chunk.last();
        if (chunk.products() == 0) {
          return operations.find(id).map(op -> new Applied(op.itemsDone(), op.succeededCount())).orElseThrow();
        }
        activity.heartbeat(chunk.products()); // throws when the workflow cancels: between chunks
      }
    });
  }

  @Override
  public Applied pushToShopify(Apply request) {
    UUID id = request.operationId();
    UUID snapshot = request.revertOf() != null ? request.revertOf() : id;
    return tracker.track(id, "pushToShopify", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      long after = activity.getHeartbeatDetails(Long.class).orElse(0L);
      long pushed = 0;
      while (true) {
        List<Long> variants = updates.variantsToPush(snapshot, after, PUSH_CHUNK);
        if (variants.isEmpty()) {
          return new Applied(0, pushed);
        }
        ShopifyPushActivities.Pushed result = push.pushVariants(new ShopifyPushActivities.PushVariants(shopify.shop(), variants));
        pushed += result.pushed();
        operations.addErrors(id, result.errors().stream().map(e -> new OperationError("shopify", null, null, e)).toList());
        after = variants.get(variants.size() - 1);
        activity.heartbeat(after);
      }
    });
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
