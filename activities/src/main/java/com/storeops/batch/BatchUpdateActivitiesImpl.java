package com.storeops.batch;

import com.storeops.operations.OperationProgress;
import com.storeops.operations.OperationTracker;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyPushActivities;
import com.storeops.sync.ShopifyPushActivitiesImpl;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch update's database side. The spec comes from the operation's stored parameters (the
 * original's, for a revert), so workflow inputs stay a few ids long.
 */
@Component
public class BatchUpdateActivitiesImpl implements BatchUpdateActivities {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PUSH_CHUNK = 250;

  private final BatchUpdates updates;
  private final JdbcClient jdbc;
  private final OperationProgress progress;
  private final OperationTracker tracker;
  private final ShopifyPushActivitiesImpl push;
  private final ShopifySettings shopify;
  private final int chunkProducts;

  public BatchUpdateActivitiesImpl(BatchUpdates updates, JdbcClient jdbc, OperationProgress progress, OperationTracker tracker,
      ShopifyPushActivitiesImpl push, ShopifySettings shopify,
      @Value("${storeops.batch.chunk-products:1000}") int chunkProducts) {
    this.updates = updates;
    this.jdbc = jdbc;
    this.progress = progress;
    this.tracker = tracker;
    this.push = push;
    this.shopify = shopify;
    this.chunkProducts = chunkProducts;
  }

  @Override
  public long snapshot(Apply request) {
    return tracker.track(request.operationId(), "snapshot", () -> {
      progress.running(request.operationId());
      long total = request.revertOf() != null
          ? jdbc.sql("select count(*) from batch_update_products where operation_id = ? and applied and not reverted")
              .param(request.revertOf()).query(Long.class).single()
          : updates.snapshot(request.operationId(), spec(request.operationId()));
      progress.total(request.operationId(), total);
      return total;
    });
  }

  @Override
  public Applied apply(Apply request) {
    UUID id = request.operationId();
    return tracker.track(id, "apply", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      BatchSpec spec = spec(request.revertOf() != null ? request.revertOf() : id);
      long after = 0; // a retry walks from the start once; done chunks are skipped by their marks
      while (true) {
        BatchUpdates.Chunk chunk = request.revertOf() != null
            ? updates.revertNext(id, request.revertOf(), spec, after, chunkProducts)
            : updates.applyNext(id, spec, after, chunkProducts);
        after = chunk.last();
        if (chunk.products() == 0) {
          return jdbc.sql("select items_done, succeeded_count from operations where id = ?").param(id)
              .query((rs, n) -> new Applied(rs.getLong(1), rs.getLong(2))).single();
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
        List<Long> variants = jdbc.sql("select variant_id from batch_update_variants where operation_id = ? and variant_id > ?"
                + " order by variant_id limit ?")
            .param(snapshot).param(after).param(PUSH_CHUNK).query(Long.class).list();
        if (variants.isEmpty()) {
          return new Applied(0, pushed);
        }
        ShopifyPushActivities.Pushed result = push.pushVariants(new ShopifyPushActivities.PushVariants(shopify.shop(), variants));
        pushed += result.pushed();
        if (!result.errors().isEmpty()) {
          jdbc.sql("insert into operation_errors (operation_id, location, message) select ?, 'shopify', unnest(cast(? as text[]))")
              .param(id).param(result.errors().toArray(String[]::new)).update();
        }
        after = variants.get(variants.size() - 1);
        activity.heartbeat(after);
      }
    });
  }

  @Override
  public void finish(Finish request) {
    tracker.track(request.operationId(), "finish", () -> progress.finished(request.operationId(), request.status(), request.error()));
  }

  private BatchSpec spec(UUID operation) {
    String parameters = jdbc.sql("select parameters::text from operations where id = ?").param(operation).query(String.class).single();
    try {
      return BatchSpec.parse(JSON.readTree(parameters).path("request"));
    } catch (BatchSpecException e) {
      throw ApplicationFailure.newNonRetryableFailure("stored batch request is invalid: " + e.field() + ": " + e.getMessage(),
          "BatchSpecInvalid");
    }
  }
}
