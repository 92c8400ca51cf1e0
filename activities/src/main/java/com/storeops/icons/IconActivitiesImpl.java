package com.storeops.icons;

import com.storeops.operations.OperationProgress;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import com.storeops.operations.OperationTracker;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Products' icons, a few per activity, each product committed on its own. The connection is taken
 * only to read the product and to write its icons together with its count (one transaction); the
 * download and the rendering — the slow, CPU-heavy part — hold none.
 */
@Component
public class IconActivitiesImpl implements IconActivities {

  /** Shopify's named image sizes, in pixels. */
  public static final Map<String, Integer> SIZES = sizes();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Product(String handle, String title, String imageSrc) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final OperationProgress progress;
  private final OperationTracker tracker;
  private final IconRenderer renderer;
  private final ImageDownloads downloads;

  public IconActivitiesImpl(JdbcClient jdbc, TransactionTemplate transactions, OperationProgress progress, OperationTracker tracker,
      @Value("${storeops.icons.max-pixels:40000000}") long maxPixels,
      @Value("${storeops.icons.download-timeout:10s}") Duration timeout,
      @Value("${storeops.icons.max-download-bytes:20000000}") long maxBytes,
      @Value("${storeops.icons.allow-private-urls:false}") boolean allowPrivate) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.progress = progress;
    this.tracker = tracker;
    this.renderer = new IconRenderer(maxPixels);
    this.downloads = new ImageDownloads(timeout, maxBytes, allowPrivate);
  }

  @Override
  public List<Long> nextProducts(UUID operationId, long after, int limit) {
    JsonNode selection = parameters(operationId);
    boolean all = selection.path("all").asBoolean(false);
    if (after == 0) {
      progress.running(operationId);
      progress.total(operationId, all ? jdbc.sql("select count(*) from products where deleted_at is null").query(Long.class).single()
          : selection.path("productIds").size());
    }
    if (all) {
      return jdbc.sql("select id from products where deleted_at is null and id > ? order by id limit ?")
          .param(after).param(limit).query(Long.class).list();
    }
    List<Long> ids = new ArrayList<>();
    selection.path("productIds").forEach(id -> ids.add(id.asLong()));
    return jdbc.sql("select p.id from unnest(cast(? as bigint[])) as t(id) join products p on p.id = t.id"
            + " where p.id > ? order by p.id limit ?")
        .param(ids.toArray(Long[]::new)).param(after).param(limit).query(Long.class).list();
  }

  @Override
  public Rendered renderProducts(RenderBatch batch) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    int from = activity.getHeartbeatDetails(Integer.class).orElse(0);
    return tracker.track(batch.operationId(), "renderProducts", () -> {
      Selection selection = selection(batch.operationId());
      for (int i = from; i < batch.productIds().size(); i++) {
        render(batch.operationId(), batch.productIds().get(i), selection);
        activity.heartbeat(i + 1);
      }
      return new Rendered(batch.productIds().size() - from);
    });
  }

  @Override
  public String renderProduct(UUID operationId, long productId) {
    return tracker.track(operationId, "renderProduct", () -> render(operationId, productId, selection(operationId)));
  }

  /** The sizes and {@code force} of the operation's request, read once per activity. */
  private record Selection(Map<String, Integer> sizes, boolean force) {}

  private Selection selection(UUID operationId) {
    JsonNode parameters = parameters(operationId);
    Map<String, Integer> sizes = new LinkedHashMap<>();
    parameters.path("sizes").forEach(name -> sizes.put(name.asString(), SIZES.get(name.asString())));
    return new Selection(sizes, parameters.path("force").asBoolean(false));
  }

  private String render(UUID operationId, long productId, Selection selection) {
    Product product = jdbc.sql("""
            select p.handle, p.title,
                   (select i.src from product_images i where i.product_id = p.id order by i.position, i.id limit 1)
            from products p where p.id = ?""")
        .param(productId).query((rs, n) -> new Product(rs.getString(1), rs.getString(2), rs.getString(3))).optional().orElse(null);
    if (product == null) {
      return count(operationId, 0, 0, 1, "skipped");
    }
    try {
      byte[] source = product.imageSrc() == null ? null : downloads.fetch(product.imageSrc());
      String hash = sha256(source != null ? source
          : ("monogram\u0000" + product.handle() + "\u0000" + product.title()).getBytes(StandardCharsets.UTF_8));
      if (!selection.force() && unchanged(productId, hash, selection.sizes().values())) {
        return count(operationId, 0, 0, 1, "unchanged");
      }
      BufferedImage image = source == null ? null : renderer.decode(source);
      Map<Integer, byte[]> icons = new LinkedHashMap<>();
      for (int size : selection.sizes().values()) {
        icons.put(size, image == null ? renderer.monogram(product.handle(), product.title(), size) : renderer.icon(image, size));
      }
      return transactions.execute(tx -> {
        store(productId, hash, icons);
        return count(operationId, 1, 0, 0, image == null ? "monogram" : "rendered");
      });
    } catch (IconInputException e) {
      return transactions.execute(tx -> {
        jdbc.sql("insert into operation_errors (operation_id, location, field, value, message) values (?, ?, 'image', ?, ?)")
            .param(operationId).param("product " + productId + " (" + product.handle() + ")").param(product.imageSrc())
            .param(e.getMessage()).update();
        return count(operationId, 0, 1, 0, "failed");
      });
    }
  }

  @Override
  public void finish(UUID operationId, String status, String error) {
    progress.finished(operationId, status, error);
  }

  private boolean unchanged(long productId, String hash, Collection<Integer> sizes) {
    Set<Integer> current = Set.copyOf(jdbc.sql("select size from product_icons where product_id = ? and source_hash = ?")
        .param(productId).param(hash).query(Integer.class).list());
    return current.containsAll(sizes);
  }

  private void store(long productId, String hash, Map<Integer, byte[]> icons) {
    List<Integer> sizes = List.copyOf(icons.keySet());
    jdbc.sql("""
        insert into product_icons (product_id, size, source_hash, png)
        select ?, t.size, ?, t.png from unnest(cast(? as integer[]), cast(? as bytea[])) as t(size, png)
        on conflict (product_id, size) do update set source_hash = excluded.source_hash, png = excluded.png, created_at = now()""")
        .param(productId).param(hash).param(sizes.toArray(Integer[]::new)).param(icons.values().toArray(byte[][]::new))
        .update();
  }

  private String count(UUID operationId, int succeeded, int failed, int skipped, String outcome) {
    jdbc.sql("update operations set items_done = items_done + 1, succeeded_count = succeeded_count + ?, failed_count = failed_count + ?,"
            + " skipped_count = skipped_count + ?, updated_at = now() where id = ?")
        .param(succeeded).param(failed).param(skipped).param(operationId).update();
    return outcome;
  }

  private JsonNode parameters(UUID operationId) {
    return JSON.readTree(jdbc.sql("select parameters::text from operations where id = ?").param(operationId).query(String.class).single());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Integer> sizes() {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("pico", 16);
    sizes.put("icon", 32);
    sizes.put("thumb", 50);
    sizes.put("small", 100);
    sizes.put("compact", 160);
    sizes.put("medium", 240);
    return Collections.unmodifiableMap(sizes);
  }
}
