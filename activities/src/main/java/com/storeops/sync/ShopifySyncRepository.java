package com.storeops.sync;

import com.storeops.catalog.Tags;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every statement of the Shopify feature: the catalogue writes of a sync, the staged bulk export,
 * the watermark, the push's read of stored variants and the webhooks' deliveries. A page of
 * products travels as one array per column, turned back into rows by {@code unnest}, so a page of
 * any size is a dozen statements with fixed parameters. Methods use {@link JdbcClient} and so join
 * the caller's transaction: a page's rows commit with the operation's counts.
 */
@Repository
public class ShopifySyncRepository {

  private static final JsonMapper JSON = JsonMapper.builder().build();

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
   * their product and option values (as the import identifies them; a SKU may repeat), images by
   * URL — instead of duplicated. Every written product is stamped {@code shopify_synced_at}, which
   * lets a full sync find the products the shop has deleted.
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

  /**
   * Stamps products the sync saw but could not write: still in the shop, so a full sync must not
   * take them for deleted.
   */
  public void stampSynced(List<Long> shopifyIds) {
    if (shopifyIds.isEmpty()) {
      return;
    }
    jdbc.sql("update products set shopify_synced_at = now() where shopify_id in (select unnest(?::bigint[]))")
        .param(shopifyIds.toArray(Long[]::new)).update();
  }

  /** Who holds a handle, for an operator to decide: {@code product 12, no Shopify id (imported), deleted}. */
  public String describeHandleHolder(String handle) {
    return jdbc.sql("""
        select 'product ' || id || coalesce(', Shopify id ' || shopify_id, ', no Shopify id (imported)')
               || case when deleted_at is null then '' else ', deleted' end
        from products where handle = ?""")
        .param(handle).query(String.class).optional().orElse("no longer stored");
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
    // Tags travel joined by Tags.join's separator, U+001F. The shop's metafields replace the
    // metafield keys of extra; its other keys (option "Linked To", Google Shopping, market columns
    // of an import) are not in the Admin API's product and stay.
    jdbc.sql("""
        insert into products as p (shopify_id, handle, title, body_html, vendor, product_type, tags, status,
                                   option1_name, option2_name, option3_name, product_category, seo_title,
                                   seo_description, gift_card, extra, shopify_synced_at)
        select shopify_id, handle, title, body_html, vendor, product_type, coalesce(string_to_array(t.tags, E'\\x1f'), '{}'),
               status, option1_name, option2_name, option3_name, product_category, seo_title, seo_description, gift_card,
               cast(t.extra as jsonb), now()
        from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[])
             as t(shopify_id, handle, title, body_html, vendor, product_type, tags, status,
                  option1_name, option2_name, option3_name, product_category, seo_title, seo_description, gift_card, extra)
        on conflict (handle) do update set shopify_id = excluded.shopify_id, title = excluded.title,
            body_html = excluded.body_html, vendor = excluded.vendor, product_type = excluded.product_type,
            tags = excluded.tags, status = excluded.status, option1_name = excluded.option1_name,
            option2_name = excluded.option2_name, option3_name = excluded.option3_name,
            product_category = excluded.product_category, seo_title = excluded.seo_title,
            seo_description = excluded.seo_description, gift_card = excluded.gift_card,
            extra = p.extra - array(select k from jsonb_object_keys(p.extra) k where k like '%(product.metafields.%')
                    || excluded.extra,
            deleted_at = null, shopify_synced_at = now(),
            updated_at = case
              when (p.shopify_id, p.title, p.body_html, p.vendor, p.product_type, p.tags, p.status,
                    p.option1_name, p.option2_name, p.option3_name, p.product_category, p.seo_title, p.seo_description,
                    p.gift_card, p.extra, p.deleted_at)
                   is distinct from (excluded.shopify_id, excluded.title, excluded.body_html, excluded.vendor,
                    excluded.product_type, excluded.tags, excluded.status, excluded.option1_name,
                    excluded.option2_name, excluded.option3_name, excluded.product_category, excluded.seo_title,
                    excluded.seo_description, excluded.gift_card,
                    p.extra - array(select k from jsonb_object_keys(p.extra) k where k like '%(product.metafields.%')
                      || excluded.extra,
                    null::timestamptz)
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
        .param(text(products, ShopifyProduct::category))
        .param(text(products, ShopifyProduct::seoTitle))
        .param(text(products, ShopifyProduct::seoDescription))
        .param(products.stream().map(ShopifyProduct::giftCard).toArray(Boolean[]::new))
        .param(text(products, p -> JSON.writeValueAsString(p.extra())))
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
    Long[] productIds = column(rows, VariantRow::productId);
    String[] option1 = text(rows, r -> nth(r.variant().options(), 0));
    String[] option2 = text(rows, r -> nth(r.variant().options(), 1));
    String[] option3 = text(rows, r -> nth(r.variant().options(), 2));
    // A variant imported from a CSV becomes the shop's variant of the same product and option
    // values — the import's identity, compared as it compares them. Each stored row is adopted at
    // most once, and only by a Shopify variant we do not hold yet.
    jdbc.sql("""
        update product_variants v set shopify_id = m.shopify_id
        from (
          select distinct on (a.id) a.id, t.shopify_id
          from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[]) as t(shopify_id, product_id, option1, option2, option3)
          cross join lateral (
            select x.id from product_variants x
            where x.product_id = t.product_id and x.shopify_id is null
              and coalesce(x.option1, '') = coalesce(t.option1, '')
              and coalesce(x.option2, '') = coalesce(t.option2, '')
              and coalesce(x.option3, '') = coalesce(t.option3, '')
            order by x.id limit 1) a
          where not exists (select 1 from product_variants s where s.shopify_id = t.shopify_id)
          order by a.id, t.shopify_id) m
        where v.id = m.id""")
        .param(shopifyIds).param(productIds).param(option1).param(option2).param(option3).update();
    jdbc.sql("""
        insert into product_variants as v (shopify_id, product_id, sku, position, option1, option2, option3,
                                           price, compare_at_price, inventory_quantity, barcode, taxable, inventory_policy,
                                           inventory_tracker, requires_shipping, cost_per_item, grams, weight_unit, image_src)
        select shopify_id, product_id, sku, position, option1, option2, option3, price, compare_at_price, inventory_quantity,
               barcode, taxable, inventory_policy, inventory_tracker, requires_shipping, cost_per_item, grams, weight_unit, image_src
        from unnest(?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[],
                    ?::numeric[], ?::numeric[], ?::int[], ?::text[], ?::boolean[], ?::text[],
                    ?::text[], ?::boolean[], ?::numeric[], ?::numeric[], ?::text[], ?::text[])
             as t(shopify_id, product_id, sku, position, option1, option2, option3, price, compare_at_price, inventory_quantity,
                  barcode, taxable, inventory_policy, inventory_tracker, requires_shipping, cost_per_item, grams, weight_unit,
                  image_src)
        on conflict (shopify_id) where shopify_id is not null do update set product_id = excluded.product_id,
            sku = excluded.sku, position = excluded.position, option1 = excluded.option1, option2 = excluded.option2,
            option3 = excluded.option3, price = excluded.price, compare_at_price = excluded.compare_at_price,
            inventory_quantity = excluded.inventory_quantity, barcode = excluded.barcode, taxable = excluded.taxable,
            inventory_policy = excluded.inventory_policy, inventory_tracker = excluded.inventory_tracker,
            requires_shipping = excluded.requires_shipping, cost_per_item = excluded.cost_per_item,
            grams = excluded.grams, weight_unit = excluded.weight_unit, image_src = excluded.image_src, updated_at = now()
        where (v.product_id, v.sku, v.position, v.option1, v.option2, v.option3, v.price, v.compare_at_price,
               v.inventory_quantity, v.barcode, v.taxable, v.inventory_policy, v.inventory_tracker, v.requires_shipping,
               v.cost_per_item, v.grams, v.weight_unit, v.image_src)
              is distinct from (excluded.product_id, excluded.sku, excluded.position, excluded.option1,
               excluded.option2, excluded.option3, excluded.price, excluded.compare_at_price, excluded.inventory_quantity,
               excluded.barcode, excluded.taxable, excluded.inventory_policy, excluded.inventory_tracker,
               excluded.requires_shipping, excluded.cost_per_item, excluded.grams, excluded.weight_unit, excluded.image_src)""")
        .param(shopifyIds)
        .param(productIds)
        .param(text(rows, r -> r.variant().sku()))
        .param(rows.stream().map(r -> r.variant().position()).toArray(Integer[]::new))
        .param(option1).param(option2).param(option3)
        .param(text(rows, r -> plain(r.variant().price())))
        .param(text(rows, r -> plain(r.variant().compareAtPrice())))
        .param(rows.stream().map(r -> r.variant().inventoryQuantity()).toArray(Integer[]::new))
        .param(text(rows, r -> r.variant().barcode()))
        .param(rows.stream().map(r -> r.variant().taxable()).toArray(Boolean[]::new))
        .param(text(rows, r -> r.variant().inventoryPolicy()))
        .param(text(rows, r -> r.variant().inventoryTracker()))
        .param(rows.stream().map(r -> r.variant().requiresShipping()).toArray(Boolean[]::new))
        .param(text(rows, r -> plain(r.variant().costPerItem())))
        .param(text(rows, r -> plain(r.variant().grams())))
        .param(text(rows, r -> r.variant().weightUnit()))
        .param(text(rows, r -> r.variant().imageSrc()))
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

  public long stagedLines(UUID operationId) {
    return jdbc.sql("select count(*) from shopify_bulk_lines where operation_id = ?").param(operationId).query(Long.class).single();
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

  /**
   * Shopify retries a delivery for hours: a week of deliveries is enough to spot repeats, and no
   * webhook triggered longer ago than this is accepted (STOREOPS_WEBHOOK_MAX_AGE is at most this).
   */
  public static final Duration DELIVERY_RETENTION = Duration.ofDays(7);

  /**
   * Remembers a delivery by what Shopify signed: its topic and a digest of its body. The webhook and
   * event id headers are outside the HMAC, so a key made of them would let a replay with new ones
   * through. False when the delivery was already remembered (Shopify delivers at least once).
   */
  public boolean recordDelivery(String topic, byte[] body) {
    return jdbc.sql("insert into shopify_webhook_deliveries (id, topic) values (?, ?) on conflict do nothing")
        .param(deliveryKey(topic, body)).param(topic).update() == 1;
  }

  /** Forgets a delivery that was not applied, so that Shopify's retry is not taken for a repeat. */
  public void forgetDelivery(String topic, byte[] body) {
    jdbc.sql("delete from shopify_webhook_deliveries where id = ?").param(deliveryKey(topic, body)).update();
  }

  public void forgetOldDeliveries() {
    jdbc.sql("delete from shopify_webhook_deliveries where received_at < now() - ?::interval")
        .param(DELIVERY_RETENTION.toSeconds() + " seconds").update();
  }

  private static String deliveryKey(String topic, byte[] body) {
    try {
      return topic + " sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
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
