package com.storeops.sync;

import com.storeops.operations.OperationProgress;
import com.storeops.operations.OperationTracker;
import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.shopify.ShopifySettings;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sync's Shopify and database side. Shopify is read with no connection held; each page is
 * written in one transaction together with the operation's progress; the cursor is the heartbeat's
 * checkpoint. Pages are idempotent upserts, so a retry that repeats the page after the last
 * heartbeat changes nothing.
 */
@Component
public class ShopifySyncActivitiesImpl implements ShopifySyncActivities {

  /** Where an incremental sync stands: the search it runs (fixed at its start), the next page, and what it has seen. */
  public record Checkpoint(String query, String cursor, long done, String newest) {}

  /** Where a full (bulk) sync stands: its bulk operation, whether the export is staged, the last product line written. */
  public record BulkCheckpoint(String bulk, boolean staged, long line, long done, String newest) {}

  private static final int BULK_BATCH = 500;

  private final ObjectProvider<ShopifyGraphql> shopify;
  private final ShopifySettings settings;
  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final OperationProgress progress;
  private final OperationTracker tracker;
  private final int pageSize;
  private final Duration bulkPollInterval;
  private final HttpClient downloads = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  public ShopifySyncActivitiesImpl(ObjectProvider<ShopifyGraphql> shopify, ShopifySettings settings, DataSource dataSource,
      JdbcClient jdbc, OperationProgress progress, OperationTracker tracker,
      @Value("${storeops.shopify.sync-page-size:10}") int pageSize,
      @Value("${storeops.shopify.bulk-poll-interval:5s}") Duration bulkPollInterval) {
    this.shopify = shopify;
    this.settings = settings;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.progress = progress;
    this.tracker = tracker;
    this.pageSize = pageSize;
    this.bulkPollInterval = bulkPollInterval;
  }

  @Override
  public Synced syncProducts(SyncProducts request) {
    UUID id = request.operationId();
    return tracker.track(id, "syncProducts", () -> {
      try {
        return request.full() ? fullSync(request) : incrementalSync(request);
      } catch (ShopifyException e) {
        throw e.toFailure();
      }
    });
  }

  /** The products updated since the shop's watermark, a page at a time, the cursor in the heartbeat. */
  private Synced incrementalSync(SyncProducts request) {
    UUID id = request.operationId();
    ShopifyProductReader reader = new ShopifyProductReader(client(request.shop()), pageSize);
    ActivityExecutionContext activity = Activity.getExecutionContext();
    Checkpoint at = activity.getHeartbeatDetails(Checkpoint.class).orElse(null);
    if (at == null) {
      progress.running(id);
      String query = ShopifyProductReader.updatedSince(watermark(request.shop()));
      progress.total(id, reader.count(query));
      at = new Checkpoint(query, null, 0, null);
    }
    do {
      ShopifyProductReader.Page page = reader.page(at.query(), at.cursor());
      long done = at.done() + page.products().size();
      write(id, page.products(), done);
      at = new Checkpoint(at.query(), page.nextCursor(), done, newest(at.newest(), page.products()));
      activity.heartbeat(at); // throws when the workflow cancels: between pages
    } while (at.cursor() != null);
    saveWatermark(request.shop(), at.newest());
    return new Synced(at.done());
  }

  /**
   * Every product through a bulk export: started once (its id travels in the heartbeat, so a retry
   * waits for the same export), staged in PostgreSQL, then written a batch of products at a time.
   */
  private Synced fullSync(SyncProducts request) {
    UUID id = request.operationId();
    ShopifyBulkExport export = new ShopifyBulkExport(client(request.shop()), downloads, bulkPollInterval);
    ShopifyBulkStaging staging = new ShopifyBulkStaging(dataSource, jdbc, id);
    ActivityExecutionContext activity = Activity.getExecutionContext();
    BulkCheckpoint at = activity.getHeartbeatDetails(BulkCheckpoint.class).orElse(new BulkCheckpoint(null, false, 0, 0, null));
    if (at.bulk() == null) {
      progress.running(id);
      BulkCheckpoint waiting = at;
      at = new BulkCheckpoint(export.start(() -> activity.heartbeat(waiting)), false, 0, 0, null);
      activity.heartbeat(at);
    }
    if (!at.staged()) {
      BulkCheckpoint polling = at;
      String url;
      try {
        url = export.awaitUrl(at.bulk(), () -> activity.heartbeat(polling));
      } catch (ShopifyException failed) {
        activity.heartbeat(new BulkCheckpoint(null, false, 0, 0, null)); // the retry starts a new export
        throw failed;
      }
      long products = url == null ? 0 : staging.stage(export.download(url));
      progress.total(id, products);
      at = new BulkCheckpoint(at.bulk(), true, 0, 0, null);
      activity.heartbeat(at);
    }
    for (ShopifyBulkStaging.Batch batch = staging.products(at.line(), BULK_BATCH); !batch.products().isEmpty();
        batch = staging.products(at.line(), BULK_BATCH)) {
      long done = at.done() + batch.products().size();
      write(id, batch.products(), done);
      at = new BulkCheckpoint(at.bulk(), true, batch.lastLine(), done, newest(at.newest(), batch.products()));
      activity.heartbeat(at);
    }
    staging.clear();
    saveWatermark(request.shop(), at.newest());
    return new Synced(at.done());
  }

  private void saveWatermark(String shop, String newest) {
    if (newest != null) {
      jdbc.sql("insert into shopify_sync_state (shop, watermark) values (?, ?) on conflict (shop) do update"
              + " set watermark = greatest(shopify_sync_state.watermark, excluded.watermark), updated_at = now()")
          .param(shop).param(Timestamp.from(Instant.parse(newest))).update();
    }
  }

  @Override
  public long removeMissing(UUID operationId) {
    return tracker.track(operationId, "removeMissing", () -> (long) jdbc.sql("""
        update products set deleted_at = now(), updated_at = now()
        where shopify_id is not null and deleted_at is null
          and (shopify_synced_at is null or shopify_synced_at < (select started_at from operations where id = ?))""")
        .param(operationId).update());
  }

  @Override
  public void finish(Finish request) {
    tracker.track(request.operationId(), "finish", () -> progress.finished(request.operationId(), request.status(), request.error()));
  }

  private ShopifyGraphql client(String shop) {
    ShopifyGraphql client = shopify.getIfAvailable();
    if (client == null) {
      throw new ShopifyException("this worker has no Shopify shop configured: set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN", false);
    }
    if (!shop.equals(settings.shop())) {
      throw new ShopifyException("this worker syncs " + settings.shop() + ", not " + shop, false);
    }
    return client;
  }

  /** The latest updatedAt seen so far, as ISO text (it travels in the heartbeat). */
  private static String newest(String before, List<ShopifyProduct> products) {
    Instant newest = before == null ? null : Instant.parse(before);
    for (ShopifyProduct p : products) {
      if (newest == null || p.updatedAt().isAfter(newest)) {
        newest = p.updatedAt();
      }
    }
    return newest == null ? null : newest.toString();
  }

  private Instant watermark(String shop) {
    return jdbc.sql("select watermark from shopify_sync_state where shop = ?").param(shop)
        .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null);
  }

  /** One transaction: the products and the operation's progress. */
  private void write(UUID id, List<ShopifyProduct> products, long done) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        new ShopifyProductWriter(c).write(products);
        try (PreparedStatement ps = c.prepareStatement(
            "update operations set items_done = ?, succeeded_count = ?, updated_at = now() where id = ?")) {
          ps.setLong(1, done);
          ps.setLong(2, done);
          ps.setObject(3, id);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing a page of products failed: " + e.getMessage(), e);
    }
  }
}
