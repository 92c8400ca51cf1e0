package com.storeops.sync;

import com.storeops.operations.OperationProgress;
import com.storeops.operations.OperationTracker;
import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.shopify.ShopifySettings;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

  /** Where a sync stands: the search it runs (fixed at its start), the next page, and what it has seen. */
  public record Checkpoint(String query, String cursor, long done, String newest) {}

  private final ObjectProvider<ShopifyGraphql> shopify;
  private final ShopifySettings settings;
  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final OperationProgress progress;
  private final OperationTracker tracker;
  private final int pageSize;

  public ShopifySyncActivitiesImpl(ObjectProvider<ShopifyGraphql> shopify, ShopifySettings settings, DataSource dataSource,
      JdbcClient jdbc, OperationProgress progress, OperationTracker tracker,
      @Value("${storeops.shopify.sync-page-size:15}") int pageSize) {
    this.shopify = shopify;
    this.settings = settings;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.progress = progress;
    this.tracker = tracker;
    this.pageSize = pageSize;
  }

  @Override
  public Synced syncProducts(SyncProducts request) {
    UUID id = request.operationId();
    return tracker.track(id, "syncProducts", () -> {
      try {
        ShopifyProductReader reader = new ShopifyProductReader(client(request.shop()), pageSize);
        ActivityExecutionContext activity = Activity.getExecutionContext();
        Checkpoint at = activity.getHeartbeatDetails(Checkpoint.class).orElse(null);
        if (at == null) {
          progress.running(id);
          String query = request.full() ? null : ShopifyProductReader.updatedSince(watermark(request.shop()));
          progress.total(id, reader.count(query));
          at = new Checkpoint(query, null, 0, null);
        }
        do {
          ShopifyProductReader.Page page = reader.page(at.query(), at.cursor());
          long done = at.done() + page.products().size();
          write(id, page, done);
          at = new Checkpoint(at.query(), page.nextCursor(), done, newest(at.newest(), page));
          activity.heartbeat(at); // throws when the workflow cancels: between pages
        } while (at.cursor() != null);
        if (at.newest() != null) {
          jdbc.sql("insert into shopify_sync_state (shop, watermark) values (?, ?) on conflict (shop) do update"
                  + " set watermark = greatest(shopify_sync_state.watermark, excluded.watermark), updated_at = now()")
              .param(request.shop()).param(Timestamp.from(Instant.parse(at.newest()))).update();
        }
        return new Synced(at.done());
      } catch (ShopifyException e) {
        throw e.retryable() ? ApplicationFailure.newFailure(e.getMessage(), "ShopifyUnavailable")
            : ApplicationFailure.newNonRetryableFailure(e.getMessage(), "ShopifyRefused");
      }
    });
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
  private static String newest(String before, ShopifyProductReader.Page page) {
    Instant newest = before == null ? null : Instant.parse(before);
    for (ShopifyProduct p : page.products()) {
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

  /** One transaction: the page's products and the operation's progress. */
  private void write(UUID id, ShopifyProductReader.Page page, long done) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        new ShopifyProductWriter(c).write(page.products());
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
