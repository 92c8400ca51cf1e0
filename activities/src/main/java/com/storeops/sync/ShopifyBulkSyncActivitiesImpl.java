package com.storeops.sync;

import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyShop;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every product through a bulk export: started once (its id travels in the heartbeat, so a retry
 * waits for the same export), staged in PostgreSQL, then written a batch of products at a time,
 * each batch in one transaction with the operation's counts. It returns only when every product
 * the export counted was staged and written: what follows, {@link #removeMissingProducts},
 * soft-deletes whatever it did not write.
 */
@Component
public class ShopifyBulkSyncActivitiesImpl implements ShopifyBulkSyncActivities {

  /**
   * Where a full (bulk) sync stands: its bulk operation, whether the export is staged, the last
   * product line written, what was staged ({@code lines}, of them {@code products}) — checked
   * against the staging table when an attempt resumes — and how many products it refused as malformed.
   */
  public record BulkCheckpoint(String bulk, boolean staged, long line, long done, String newest, long lines, long products,
      long failed) {

    static final BulkCheckpoint START = new BulkCheckpoint(null, false, 0, 0, null, 0, 0, 0);

    BulkCheckpoint export(String bulk) {
      return new BulkCheckpoint(bulk, false, 0, 0, null, 0, 0, 0);
    }

    BulkCheckpoint written(long line, long done, String newest, long failed) {
      return new BulkCheckpoint(bulk, staged, line, done, newest, lines, products, failed);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ShopifyBulkSyncActivitiesImpl.class);

  private static final int BULK_BATCH = 500;

  private final ShopifyShop shop;
  private final ShopifySyncRepository repository;
  private final ShopifySyncWatermark watermark;
  private final ShopifyPageWriter pages;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ShopifySyncSettings settings;
  private final ShopifyBulkDownloads downloads;

  public ShopifyBulkSyncActivitiesImpl(ShopifyShop shop, ShopifySyncRepository repository, ShopifySyncWatermark watermark,
      ShopifyPageWriter pages, Operations operations, OperationTracker tracker, ShopifySyncSettings settings,
      ShopifyBulkDownloads downloads) {
    this.shop = shop;
    this.downloads = downloads;
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
    ShopifyBulkExport export = new ShopifyBulkExport(shop.client(request.shop()), downloads.http(), settings.bulkPollInterval());
    ShopifyBulkStaging staging = new ShopifyBulkStaging(repository, id);
    ActivityExecutionContext activity = Activity.getExecutionContext();
    BulkCheckpoint at = activity.getHeartbeatDetails(BulkCheckpoint.class).orElse(BulkCheckpoint.START);
    if (at.bulk() == null) {
      operations.markRunning(id);
      BulkCheckpoint waiting = at;
      at = BulkCheckpoint.START.export(export.start(() -> activity.heartbeat(waiting)));
      activity.heartbeat(at);
    }
    long left = at.staged() ? staging.lines() : 0;
    if (at.staged() && left != at.lines()) {
      // The staged lines are gone — a PostgreSQL crash empties the unlogged table, a failover has
      // none, an attempt that outlived its timeout cleared them: stage the same export again.
      log.warn("Operation {}: {} staged lines of {} left; staging the bulk export again", id, left, at.lines());
      at = BulkCheckpoint.START.export(at.bulk());
      activity.heartbeat(at);
    }
    if (!at.staged()) {
      at = stage(export, staging, at, activity);
      operations.setTotal(id, at.products());
      activity.heartbeat(at);
    }
    for (ShopifyBulkStaging.Batch batch = staging.products(at.line(), BULK_BATCH); !batch.products().isEmpty();
        batch = staging.products(at.line(), BULK_BATCH)) {
      long done = at.done() + batch.products().size();
      long failed = pages.write(id, batch.products(), done, at.failed());
      at = at.written(batch.lastLine(), done, ShopifySyncWatermark.newest(at.newest(), batch.products()), failed);
      activity.heartbeat(at);
    }
    if (at.done() != at.products()) {
      // Lines went missing while they were written: what was not written must not be taken for
      // products the shop deleted.
      activity.heartbeat(BulkCheckpoint.START.export(at.bulk()));
      throw new ShopifyException("the bulk export " + at.bulk() + " holds " + at.products() + " products but " + at.done()
          + " were read back from staging; the retry stages it again", true);
    }
    staging.clear();
    watermark.advance(request.shop(), at.newest());
    return new Synced(at.done());
  }

  /**
   * Downloads and stages the export, and checks the file against Shopify's counts: a file that does
   * not hold every object the export wrote (a download cut short, an export that completed without
   * its file) fails retryably with a new export, and is never written, so nothing is soft-deleted
   * for missing from it.
   */
  private BulkCheckpoint stage(ShopifyBulkExport export, ShopifyBulkStaging staging, BulkCheckpoint at, ActivityExecutionContext activity) {
    ShopifyBulkExport.Completed completed;
    try {
      completed = export.awaitCompleted(at.bulk(), () -> activity.heartbeat(at));
    } catch (ShopifyException failed) {
      activity.heartbeat(BulkCheckpoint.START); // the retry starts a new export
      throw failed;
    }
    ShopifyBulkStaging.Staged staged = new ShopifyBulkStaging.Staged(0, 0);
    if (completed.url() != null) {
      try (ShopifyBulkExport.Download file = export.download(completed.url())) {
        staged = staging.stage(file.lines(), () -> {
          file.renew();
          activity.heartbeat(at);
        });
      } catch (IOException e) {
        throw new UncheckedIOException("closing the bulk export's download failed", e);
      }
    }
    boolean addsUp = staged.lines() == completed.objects()
        && (completed.products() == null || staged.products() == completed.products());
    if (!addsUp) {
      staging.clear();
      activity.heartbeat(BulkCheckpoint.START);
      throw new ShopifyException("the bulk export " + at.bulk() + " counted " + completed.objects() + " objects"
          + (completed.products() == null ? "" : " (" + completed.products() + " products)") + " but its file "
          + (completed.url() == null ? "has no URL" : "held " + staged.lines() + " lines (" + staged.products() + " products)")
          + "; the retry runs a new export", true);
    }
    return new BulkCheckpoint(at.bulk(), true, 0, 0, null, staged.lines(), staged.products(), 0);
  }
}
