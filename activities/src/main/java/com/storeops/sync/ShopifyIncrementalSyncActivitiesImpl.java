package com.storeops.sync;

import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyShop;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The products updated since the shop's watermark, a page at a time. Shopify is read with no
 * connection held; each page is written in one transaction with the operation's counts; the
 * cursor is the heartbeat's checkpoint.
 */
@Component
public class ShopifyIncrementalSyncActivitiesImpl implements ShopifyIncrementalSyncActivities {

  /**
   * Where an incremental sync stands: the search it runs (fixed at its start), the next page, what
   * it has seen and how many of those it refused as malformed.
   */
  public record Checkpoint(String query, String cursor, long done, String newest, long failed) {}

  private final ShopifyShop shop;
  private final ShopifySyncWatermark watermark;
  private final ShopifyPageWriter pages;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ShopifySyncSettings settings;

  public ShopifyIncrementalSyncActivitiesImpl(ShopifyShop shop, ShopifySyncWatermark watermark, ShopifyPageWriter pages,
      Operations operations, OperationTracker tracker, ShopifySyncSettings settings) {
    this.shop = shop;
    this.watermark = watermark;
    this.pages = pages;
    this.operations = operations;
    this.tracker = tracker;
    this.settings = settings;
  }

  @Override
  public Synced syncUpdatedProducts(SyncProducts request) {
    return tracker.track(request.operationId(), "syncUpdatedProducts", () -> ShopifyException.failingForTemporal(() -> sync(request)));
  }

  private Synced sync(SyncProducts request) {
    UUID id = request.operationId();
    ActivityExecutionContext activity = Activity.getExecutionContext();
    Checkpoint at = activity.getHeartbeatDetails(Checkpoint.class).orElse(null);
    AtomicReference<Checkpoint> reached = new AtomicReference<>(at); // what a wait for Shopify heartbeats
    ShopifyProductReader reader = new ShopifyProductReader(shop.client(request.shop()), settings.syncPageSize(),
        () -> activity.heartbeat(reached.get()));
    if (at == null) {
      operations.markRunning(id);
      String query = watermark.updatedSinceQuery(request.shop());
      operations.setTotal(id, reader.count(query));
      at = new Checkpoint(query, null, 0, null, 0);
    }
    do {
      ShopifyProductReader.Page page = reader.page(at.query(), at.cursor());
      long done = at.done() + page.products().size();
      long failed = pages.write(id, page.products(), done, at.failed());
      at = new Checkpoint(at.query(), page.nextCursor(), done, ShopifySyncWatermark.newest(at.newest(), page.products()), failed);
      reached.set(at);
      activity.heartbeat(at); // throws when the workflow cancels: between pages
    } while (at.cursor() != null);
    watermark.advance(request.shop(), at.newest());
    return new Synced(at.done());
  }
}
