package com.storeops.sync;

import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyShop;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Every product through a bulk export: started once (its id travels in the heartbeat, so a retry
 * waits for the same export), staged in PostgreSQL, then written a batch of products at a time,
 * each batch in one transaction with the operation's counts.
 */
@Component
public class ShopifyBulkSyncActivitiesImpl implements ShopifyBulkSyncActivities {

  /**
   * Where a full (bulk) sync stands: its bulk operation, whether the export is staged, the last
   * product line written, and how many products it refused as malformed.
   */
  public record BulkCheckpoint(String bulk, boolean staged, long line, long done, String newest, long failed) {}

  private static final int BULK_BATCH = 500;

  private final ShopifyShop shop;
  private final ShopifySyncRepository repository;
  private final ShopifySyncWatermark watermark;
  private final ShopifyPageWriter pages;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ShopifySyncSettings settings;
  private final HttpClient downloads = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  public ShopifyBulkSyncActivitiesImpl(ShopifyShop shop, ShopifySyncRepository repository, ShopifySyncWatermark watermark,
      ShopifyPageWriter pages, Operations operations, OperationTracker tracker, ShopifySyncSettings settings) {
    this.shop = shop;
    this.repository = repository;
    this.watermark = watermark;
    this.pages = pages;
    this.operations = operations;
    this.tracker = tracker;
    this.settings = settings;
  }

  @Override
  public Synced syncAllProducts(SyncProducts request) {
    return tracker.track(request.operationId(), "syncAllProducts", () -> ShopifyException.failingForTemporal(() -> sync(request)));
  }

  @Override
  public Removed removeMissingProducts(RemoveMissing request) {
    return tracker.track(request.operationId(), "removeMissingProducts",
        () -> new Removed(repository.removeProductsNotSyncedBy(request.operationId())));
  }

  private Synced sync(SyncProducts request) {
    UUID id = request.operationId();
    ShopifyBulkExport export = new ShopifyBulkExport(shop.client(request.shop()), downloads, settings.bulkPollInterval());
    ShopifyBulkStaging staging = new ShopifyBulkStaging(repository, id);
    ActivityExecutionContext activity = Activity.getExecutionContext();
    BulkCheckpoint at = activity.getHeartbeatDetails(BulkCheckpoint.class).orElse(new BulkCheckpoint(null, false, 0, 0, null, 0));
    if (at.bulk() == null) {
      operations.markRunning(id);
      BulkCheckpoint waiting = at;
      at = new BulkCheckpoint(export.start(() -> activity.heartbeat(waiting)), false, 0, 0, null, 0);
      activity.heartbeat(at);
    }
    if (!at.staged()) {
      BulkCheckpoint polling = at;
      String url;
      try {
        url = export.awaitUrl(at.bulk(), () -> activity.heartbeat(polling));
      } catch (ShopifyException failed) {
        activity.heartbeat(new BulkCheckpoint(null, false, 0, 0, null, 0)); // the retry starts a new export
        throw failed;
      }
      long products = url == null ? 0 : staging.stage(export.download(url));
      operations.setTotal(id, products);
      at = new BulkCheckpoint(at.bulk(), true, 0, 0, null, 0);
      activity.heartbeat(at);
    }
    for (ShopifyBulkStaging.Batch batch = staging.products(at.line(), BULK_BATCH); !batch.products().isEmpty();
        batch = staging.products(at.line(), BULK_BATCH)) {
      long done = at.done() + batch.products().size();
      long failed = pages.write(id, batch.products(), done, at.failed());
      at = new BulkCheckpoint(at.bulk(), true, batch.lastLine(), done, ShopifySyncWatermark.newest(at.newest(), batch.products()),
          failed);
      activity.heartbeat(at);
    }
    staging.clear();
    watermark.advance(request.shop(), at.newest());
    return new Synced(at.done());
  }
}
