package com.storeops.sync;

import com.storeops.catalog.RowArrays;
import com.storeops.catalog.SetClause;
import com.storeops.catalog.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one page of Shopify products into products / product_variants / product_images, inside
 * the caller's transaction, set-based (a dozen statements per page). Shopify is the source of
 * truth here: every field is written, variants and images the shop no longer has are deleted, and
 * Shopify's ids are kept. Rows that came from a CSV import first are adopted — products by handle,
 * variants by SKU, images by URL — instead of duplicated. Every written product is stamped
 * {@code shopify_synced_at}, which lets a full sync find the products the shop has deleted.
 */
final class ShopifyProductWriter {

  private final Connection connection;

  ShopifyProductWriter(Connection connection) {
    this.connection = connection;
  }

  void write(List<ShopifyProduct> products) throws SQLException {
    if (products.isEmpty()) {
      return;
    }
    Map<String, Long> ids = products(products);
    List<VariantRow> variants = new ArrayList<>();
    List<ImageRow> images = new ArrayList<>();
    for (ShopifyProduct p : products) {
      long id = ids.get(String.valueOf(p.id()));
      p.variants().forEach(v -> variants.add(new VariantRow(id, v)));
      p.images().forEach(i -> images.add(new ImageRow(id, i)));
    }
    List<Long> written = List.copyOf(ids.values());
    variants(variants, written);
    images(images, written);
  }

  // ---- products ----

  private Map<String, Long> products(List<ShopifyProduct> products) throws SQLException {
    // A handle renamed in Shopify renames ours, so the upsert below matches it by handle.
    RowArrays<ShopifyProduct> renames = new RowArrays<>(products)
        .add("shopify_id", "bigint", ShopifyProduct::id).add("handle", "text", ShopifyProduct::handle);
    renames.execute(connection, "update products p set handle = t.handle, updated_at = now() from " + renames.unnest()
        + " where p.shopify_id = t.shopify_id and p.handle <> t.handle");
    RowArrays<ShopifyProduct> rows = new RowArrays<>(products)
        .add("shopify_id", "bigint", ShopifyProduct::id)
        .add("handle", "text", ShopifyProduct::handle)
        .add("title", "text", ShopifyProduct::title)
        .add("body_html", "text", ShopifyProduct::bodyHtml)
        .add("vendor", "text", ShopifyProduct::vendor)
        .add("product_type", "text", ShopifyProduct::productType)
        .add("tags", "text", p -> Tags.join(p.tags()))
        .add("status", "text", ShopifyProduct::status);
    for (int i = 0; i < 3; i++) {
      int option = i;
      rows.add("option" + (i + 1) + "_name", "text", p -> p.optionNames().size() > option ? p.optionNames().get(option) : null);
    }
    String changed = "(p.shopify_id, p.title, p.body_html, p.vendor, p.product_type, p.tags, p.status, p.option1_name,"
        + " p.option2_name, p.option3_name, p.deleted_at) is distinct from (excluded.shopify_id, excluded.title,"
        + " excluded.body_html, excluded.vendor, excluded.product_type, excluded.tags, excluded.status,"
        + " excluded.option1_name, excluded.option2_name, excluded.option3_name, null::timestamptz)";
    // Always stamped (a full sync counts on it); updated_at moves only when something changed.
    rows.execute(connection, """
        insert into products as p (shopify_id, handle, title, body_html, vendor, product_type, tags, status,
                                   option1_name, option2_name, option3_name, shopify_synced_at)
        select shopify_id, handle, title, body_html, vendor, product_type, %s, status,
               option1_name, option2_name, option3_name, now()
        from %s
        on conflict (handle) do update set shopify_id = excluded.shopify_id, title = excluded.title,
            body_html = excluded.body_html, vendor = excluded.vendor, product_type = excluded.product_type,
            tags = excluded.tags, status = excluded.status, option1_name = excluded.option1_name,
            option2_name = excluded.option2_name, option3_name = excluded.option3_name, deleted_at = null,
            shopify_synced_at = now(), updated_at = case when %s then now() else p.updated_at end"""
        .formatted(Tags.SPLIT, rows.unnest(), changed));
    RowArrays<ShopifyProduct> keys = new RowArrays<>(products).add("shopify_id", "bigint", ShopifyProduct::id);
    return keys.idsByKey(connection,
        "select p.shopify_id::text, p.id from " + keys.unnest() + " join products p on p.shopify_id = t.shopify_id");
  }

  // ---- variants ----

  private record VariantRow(long productId, ShopifyProduct.Variant variant) {}

  private void variants(List<VariantRow> variants, List<Long> products) throws SQLException {
    RowArrays<VariantRow> rows = new RowArrays<>(variants)
        .add("shopify_id", "bigint", r -> r.variant.id())
        .add("product_id", "bigint", VariantRow::productId)
        .add("sku", "text", r -> r.variant.sku())
        .add("position", "int", r -> r.variant.position());
    for (int i = 0; i < 3; i++) {
      int option = i;
      rows.add("option" + (i + 1), "text", r -> r.variant.options().size() > option ? r.variant.options().get(option) : null);
    }
    rows.add("price", "numeric", r -> r.variant.price())
        .add("compare_at_price", "numeric", r -> r.variant.compareAtPrice())
        .add("inventory_quantity", "int", r -> r.variant.inventoryQuantity());
    // A variant imported from a CSV becomes the shop's variant with the same SKU.
    rows.execute(connection, "update product_variants v set shopify_id = t.shopify_id from " + rows.unnest()
        + " where v.sku = t.sku and v.sku <> '' and v.shopify_id is null");
    SetClause set = new SetClause("v", "excluded");
    for (String column : List.of("product_id", "sku", "position", "option1", "option2", "option3", "price",
        "compare_at_price", "inventory_quantity")) {
      set.plain(column, true);
    }
    rows.execute(connection, "insert into product_variants as v (shopify_id, product_id, sku, position, option1, option2,"
        + " option3, price, compare_at_price, inventory_quantity) select shopify_id, product_id, sku, position, option1,"
        + " option2, option3, price, compare_at_price, inventory_quantity from " + rows.unnest()
        + set.onConflict("(shopify_id) where shopify_id is not null", ", updated_at = now()"));
    removeOthers("product_variants", products, variants.stream().map(r -> r.variant.id()).toList());
  }

  // ---- images ----

  private record ImageRow(long productId, ShopifyProduct.Image image) {}

  private void images(List<ImageRow> images, List<Long> products) throws SQLException {
    RowArrays<ImageRow> rows = new RowArrays<>(images)
        .add("shopify_id", "bigint", r -> r.image.id())
        .add("product_id", "bigint", ImageRow::productId)
        .add("src", "text", r -> r.image.src())
        .add("position", "int", r -> r.image.position())
        .add("alt_text", "text", r -> r.image.alt());
    rows.execute(connection, "update product_images i set shopify_id = t.shopify_id from " + rows.unnest()
        + " where i.product_id = t.product_id and i.src = t.src and i.shopify_id is null");
    SetClause set = new SetClause("i", "excluded")
        .plain("product_id", true).plain("src", true).plain("position", true).plain("alt_text", true);
    rows.execute(connection, "insert into product_images as i (shopify_id, product_id, src, position, alt_text)"
        + " select shopify_id, product_id, src, position, alt_text from " + rows.unnest()
        + set.onConflict("(shopify_id) where shopify_id is not null", ""));
    removeOthers("product_images", products, images.stream().map(r -> r.image.id()).toList());
  }

  /** Deletes the rows of these products whose Shopify id the shop did not send (or that have none). */
  private void removeOthers(String table, List<Long> products, List<Long> kept) throws SQLException {
    // The page's rows only: the filter on kept ids runs over a handful of rows per product.
    try (PreparedStatement ps = connection.prepareStatement("delete from " + table + " x where x.product_id in"
        + " (select unnest(?::bigint[])) and not (coalesce(x.shopify_id, -1) = any(?::bigint[]))")) {
      ps.setArray(1, connection.createArrayOf("int8", products.toArray()));
      ps.setArray(2, connection.createArrayOf("int8", kept.toArray()));
      ps.executeUpdate();
    }
  }
}
