package com.storeops.sync;

import com.storeops.catalog.Tags;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every statement of the Shopify feature: the catalogue writes of a sync, the staged bulk export,
 * the watermark, the push's read of stored variants and the webhooks' deliveries. A page of
 * products travels as one array per column, turned back into rows by {@code unnest}, so a page of
 * any size is a dozen statements with fixed parameters. Methods use {@link JdbcClient} and so join
 * the caller's transaction: a page's rows commit with the operation's counts.
 */
@Repository
public class ShopifySyncRepository {

  private final JdbcClient jdbc;
  private final DataSource dataSource;

  public ShopifySyncRepository(JdbcClient jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
  }

  // ---- a page of products (Shopify is the source of truth: every field is written) ----

  /**
   * Writes the products with their variants and images; variants and images the shop no longer
   * has are deleted. Rows a CSV import created first are adopted — products by handle, variants by
   * SKU, images by URL — instead of duplicated. Every written product is stamped
   * {@code shopify_synced_at}, which lets a full sync find the products the shop has deleted.
   */
  public void writeProducts(List<ShopifyProduct> products) {
    if (products.isEmpty()) {
      return;
    }
    Map<Long, Long> ids = upsertProducts(products);
    List<VariantRow> variants = products.stream()
        .flatMap(p -> p.variants().stream().map(v -> new VariantRow(ids.get(p.id()), v))).toList();
    List<ImageRow> images = products.stream()
        .flatMap(p -> p.images().stream().map(i -> new ImageRow(ids.get(p.id()), i))).toList();
    Long[] written = ids.values().toArray(Long[]::new);
    upsertVariants(variants);
    jdbc.sql("""
        delete from product_variants x
        where x.product_id in (select unnest(?::bigint[])) and not (coalesce(x.shopify_id, -1) = any(?::bigint[]))""")
        .param(written).param(column(variants, r -> r.variant().id())).update();
    upsertImages(images);
    jdbc.sql("""
        delete from product_images x
        where x.product_id in (select unnest(?::bigint[])) and not (coalesce(x.shopify_id, -1) = any(?::bigint[]))""")
        .param(written).param(column(images, r -> r.image().id())).update();
  }

  /** Answers our product id by Shopify id. */
  private Map<Long, Long> upsertProducts(List<ShopifyProduct> products) {
    Long[] shopifyIds = column(products, ShopifyProduct::id);
    String[] handles = text(products, ShopifyProduct::handle);
    // A handle renamed in Shopify renames ours, so the upsert below matches it by handle.
    jdbc.sql("""
        update products p set handle = t.handle, updated_at = now()
        from unnest(?::bigint[], ?::text[]) as t(shopify_id, handle)
        where p.shopify_id = t.shopify_id and p.handle <> t.handle""")
        .param(shopifyIds).param(handles).update();
    // Always stamped (a full sync counts on it); updated_at moves only when something changed.
    // Tags travel joined by Tags.join's separator, U+001F.
    jdbc.sql("""
        insert into products as p (shopify_id, handle, title, body_html, vendor, product_type, tags, status,
                                   option1_name, option2_name, option3_name, shopify_synced_at)
        select shopify_id, handle, title, body_html, vendor, product_type, coalesce(string_to_array(t.tags, E'\\x1f'), '{}'),
               status, option1_name, option2_name, option3_name, now()
        from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[])
             as t(shopify_id, handle, title, body_html, vendor, product_type, tags, status,
                  option1_name, option2_name, option3_name)
        on conflict (handle) do update set shopify_id = excluded.shopify_id, title = excluded.title,
            body_html = excluded.body_html, vendor = excluded.vendor, product_type = excluded.product_type,
            tags = excluded.tags, status = excluded.status, option1_name = excluded.option1_name,
            option2_name = excluded.option2_name, option3_name = excluded.option3_name, deleted_at = null,
            shopify_synced_at = now(),
            updated_at = case
              when (p.shopify_id, p.title, p.body_html, p.vendor, p.product_type, p.tags, p.status,
                    p.option1_name, p.option2_name, p.option3_name, p.deleted_at)
                   is distinct from (excluded.shopify_id, excluded.title, excluded.body_html, excluded.vendor,
                    excluded.product_type, excluded.tags, excluded.status, excluded.option1_name,
                    excluded.option2_name, excluded.option3_name, null::timestamptz)
              then now() else p.updated_at end""")
        .param(shopifyIds).param(handles)
        .param(text(products, ShopifyProduct::title))
        .param(text(products, ShopifyProduct::bodyHtml))
        .param(text(products, ShopifyProduct::vendor))
        .param(text(products, ShopifyProduct::productType))
        .param(text(products, p -> Tags.join(p.tags())))
        .param(text(products, ShopifyProduct::status))
        .param(text(products, p -> nth(p.optionNames(), 0)))
        .param(text(products, p -> nth(p.optionNames(), 1)))
        .param(text(products, p -> nth(p.optionNames(), 2)))
        .update();
    Map<Long, Long> ids = new HashMap<>();
    jdbc.sql("select p.shopify_id, p.id from unnest(?::bigint[]) as t(shopify_id) join products p on p.shopify_id = t.shopify_id")
        .param(shopifyIds)
        .query(rs -> {
          ids.put(rs.getLong(1), rs.getLong(2));
        });
    return ids;
  }

  private record VariantRow(long productId, ShopifyProduct.Variant variant) {}

  private void upsertVariants(List<VariantRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Long[] shopifyIds = column(rows, r -> r.variant().id());
    String[] skus = text(rows, r -> r.variant().sku());
    // A variant imported from a CSV becomes the shop's variant with the same SKU.
    jdbc.sql("""
        update product_variants v set shopify_id = t.shopify_id
        from unnest(?::bigint[], ?::text[]) as t(shopify_id, sku)
        where v.sku = t.sku and v.sku <> '' and v.shopify_id is null""")
        .param(shopifyIds).param(skus).update();
    jdbc.sql("""
        insert into product_variants as v (shopify_id, product_id, sku, position, option1, option2, option3,
                                           price, compare_at_price, inventory_quantity)
        select shopify_id, product_id, sku, position, option1, option2, option3, price, compare_at_price, inventory_quantity
        from unnest(?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[],
                    ?::numeric[], ?::numeric[], ?::int[])
             as t(shopify_id, product_id, sku, position, option1, option2, option3, price, compare_at_price, inventory_quantity)
        on conflict (shopify_id) where shopify_id is not null do update set product_id = excluded.product_id,
            sku = excluded.sku, position = excluded.position, option1 = excluded.option1, option2 = excluded.option2,
            option3 = excluded.option3, price = excluded.price, compare_at_price = excluded.compare_at_price,
            inventory_quantity = excluded.inventory_quantity, updated_at = now()
        where (v.product_id, v.sku, v.position, v.option1, v.option2, v.option3, v.price, v.compare_at_price,
               v.inventory_quantity)
              is distinct from (excluded.product_id, excluded.sku, excluded.position, excluded.option1,
               excluded.option2, excluded.option3, excluded.price, excluded.compare_at_price, excluded.inventory_quantity)""")
        .param(shopifyIds)
        .param(column(rows, VariantRow::productId))
        .param(skus)
        .param(rows.stream().map(r -> r.variant().position()).toArray(Integer[]::new))
        .param(text(rows, r -> nth(r.variant().options(), 0)))
        .param(text(rows, r -> nth(r.variant().options(), 1)))
        .param(text(rows, r -> nth(r.variant().options(), 2)))
        .param(text(rows, r -> plain(r.variant().price())))
        .param(text(rows, r -> plain(r.variant().compareAtPrice())))
        .param(rows.stream().map(r -> r.variant().inventoryQuantity()).toArray(Integer[]::new))
        .update();
  }

  private record ImageRow(long productId, ShopifyProduct.Image image) {}

  private void upsertImages(List<ImageRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Long[] shopifyIds = column(rows, r -> r.image().id());
    Long[] productIds = column(rows, ImageRow::productId);
    String[] srcs = text(rows, r -> r.image().src());
    // An image imported from a CSV becomes the shop's image with the same URL on the same product.
    jdbc.sql("""
        update product_images i set shopify_id = t.shopify_id
        from unnest(?::bigint[], ?::bigint[], ?::text[]) as t(shopify_id, product_id, src)
        where i.product_id = t.product_id and i.src = t.src and i.shopify_id is null""")
        .param(shopifyIds).param(productIds).param(srcs).update();
    jdbc.sql("""
        insert into product_images as i (shopify_id, product_id, src, position, alt_text)
        select shopify_id, product_id, src, position, alt_text
        from unnest(?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::text[]) as t(shopify_id, product_id, src, position, alt_text)
        on conflict (shopify_id) where shopify_id is not null do update set product_id = excluded.product_id,
            src = excluded.src, position = excluded.position, alt_text = excluded.alt_text
        where (i.product_id, i.src, i.position, i.alt_text)
              is distinct from (excluded.product_id, excluded.src, excluded.position, excluded.alt_text)""")
        .param(shopifyIds).param(productIds).param(srcs)
        .param(rows.stream().map(r -> r.image().position()).toArray(Integer[]::new))
        .param(text(rows, r -> r.image().alt()))
        .update();
  }

  /** After a full sync: soft-deletes the products with a Shopify id that the sync did not write. */
  public long removeProductsNotSyncedBy(UUID operationId) {
    return jdbc.sql("""
        update products set deleted_at = now(), updated_at = now()
        where shopify_id is not null and deleted_at is null
          and (shopify_synced_at is null or shopify_synced_at < (select started_at from operations where id = ?))""")
        .param(operationId).update();
  }

  // ---- the staged bulk export ----

  /** A staged line: a product's, or (with {@code parent}) one of its variants' or media's. */
  public record StagedLine(long line, Long parent, String doc) {}

  public void clearStaged(UUID operationId) {
    jdbc.sql("delete from shopify_bulk_lines where operation_id = ?").param(operationId).update();
  }

  /**
   * COPYs lines given as CSV rows {@code operation_id,line,parent,doc}, on a connection of their own
   * (the export is staged outside any transaction).
   */
  public void copyStaged(String csv) {
    try (Connection c = dataSource.getConnection()) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "copy shopify_bulk_lines (operation_id, line, parent, doc) from stdin (format csv)", new StringReader(csv));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("staging the bulk export failed: " + e.getMessage(), e);
    }
  }

  /** Up to {@code limit} staged products after {@code afterLine}, in file order. */
  public List<StagedLine> stagedProducts(UUID operationId, long afterLine, int limit) {
    return jdbc.sql("""
        select line, doc from shopify_bulk_lines
        where operation_id = ? and parent is null and line > ?
        order by line limit ?""")
        .param(operationId).param(afterLine).param(limit)
        .query((rs, n) -> new StagedLine(rs.getLong(1), null, rs.getString(2))).list();
  }

  /** The staged variants and media of these products (Shopify ids), in file order. */
  public List<StagedLine> stagedChildren(UUID operationId, List<Long> productIds) {
    return jdbc.sql("""
        select l.line, l.parent, l.doc
        from unnest(?::bigint[]) as t(id) join shopify_bulk_lines l on l.operation_id = ? and l.parent = t.id
        order by l.line""")
        .param(productIds.toArray(Long[]::new)).param(operationId)
        .query((rs, n) -> new StagedLine(rs.getLong(1), rs.getLong(2), rs.getString(3))).list();
  }

  // ---- the watermark: the newest updatedAt a sync of the shop has written ----

  public Optional<Instant> watermark(String shop) {
    return jdbc.sql("select watermark from shopify_sync_state where shop = ?").param(shop)
        .query(Timestamp.class).optional().map(Timestamp::toInstant);
  }

  /** Moves the watermark forward only: a sync that saw older products leaves it where it is. */
  public void advanceWatermark(String shop, Instant newest) {
    jdbc.sql("""
        insert into shopify_sync_state (shop, watermark) values (?, ?)
        on conflict (shop) do update
        set watermark = greatest(shopify_sync_state.watermark, excluded.watermark), updated_at = now()""")
        .param(shop).param(Timestamp.from(newest)).update();
  }

  // ---- pushing stored products and variants back to Shopify ----

  /** A variant's stored values, with its and its product's Shopify ids (0 and null when Shopify has none). */
  public record StoredVariant(long productShopifyId, Long variantShopifyId, String sku, BigDecimal price, BigDecimal compareAt,
      Integer inventory) {}

  /** {@code variantIds}: our ids (product_variants.id). */
  public List<StoredVariant> storedVariants(List<Long> variantIds) {
    return jdbc.sql("""
        select p.shopify_id, v.shopify_id, v.sku, v.price, v.compare_at_price, v.inventory_quantity
        from unnest(?::bigint[]) as t(id) join product_variants v on v.id = t.id join products p on p.id = v.product_id
        order by v.id""")
        .param(variantIds.toArray(Long[]::new))
        .query((rs, n) -> new StoredVariant(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3), rs.getBigDecimal(4),
            rs.getBigDecimal(5), rs.getObject(6, Integer.class)))
        .list();
  }

  /** A product's stored status and tags, with its Shopify id (null when Shopify has none). */
  public record StoredProduct(Long shopifyId, String status, List<String> tags) {}

  /** {@code productIds}: our ids (products.id). */
  public List<StoredProduct> storedProducts(List<Long> productIds) {
    return jdbc.sql("""
        select p.shopify_id, p.status, p.tags
        from unnest(?::bigint[]) as t(id) join products p on p.id = t.id
        order by p.id""")
        .param(productIds.toArray(Long[]::new))
        .query((rs, n) -> new StoredProduct(rs.getObject(1, Long.class), rs.getString(2),
            List.of((String[]) rs.getArray(3).getArray())))
        .list();
  }

  // ---- webhooks ----

  /** Remembers a delivery; false when it was already remembered (Shopify delivers at least once). */
  public boolean recordDelivery(String deliveryId, String topic) {
    return jdbc.sql("insert into shopify_webhook_deliveries (id, topic) values (?, ?) on conflict do nothing")
        .param(deliveryId).param(topic).update() == 1;
  }

  /** Forgets a delivery that was not applied, so that Shopify's retry is not taken for a repeat. */
  public void forgetDelivery(String deliveryId) {
    jdbc.sql("delete from shopify_webhook_deliveries where id = ?").param(deliveryId).update();
  }

  /** Shopify retries a webhook for 48 hours: a week of delivery ids is enough to spot repeats. */
  public void forgetOldDeliveries() {
    jdbc.sql("delete from shopify_webhook_deliveries where received_at < now() - interval '7 days'").update();
  }

  /** A product the shop deleted (an incremental sync never sees deleted products). */
  public void softDeleteProduct(long shopifyId) {
    jdbc.sql("update products set deleted_at = now(), updated_at = now() where shopify_id = ? and deleted_at is null")
        .param(shopifyId).update();
  }

  // ---- one array per column ----

  private static <R> Long[] column(List<R> rows, Function<R, Long> value) {
    return rows.stream().map(value).toArray(Long[]::new);
  }

  private static <R> String[] text(List<R> rows, Function<R, String> value) {
    return rows.stream().map(value).toArray(String[]::new);
  }

  private static String nth(List<String> values, int i) {
    return values.size() > i ? values.get(i) : null;
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
