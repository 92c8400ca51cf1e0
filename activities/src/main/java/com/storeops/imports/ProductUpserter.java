package com.storeops.imports;

import com.storeops.imports.ParsedProduct.Cell;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes one chunk of parsed products into products / product_variants / product_images, inside
 * the caller's transaction, set-based: per table one look-up, one UPDATE … FROM unnest(…) and one
 * INSERT … SELECT FROM unnest(…), whatever the chunk size. Products are matched by handle, variants
 * by SKU (or, without a SKU, by their position in the product), images by URL.
 *
 * <p>Shopify's overwrite rule: a column missing from the file keeps the stored value, a blank cell
 * clears it — except where the schema needs a value: a blank title or status keeps the stored one,
 * a blank image position keeps it, and a new product without a title is refused. Updates that would
 * change nothing are skipped, so re-importing a file leaves every row (and its updated_at) as it was.
 */
public final class ProductUpserter {

  /** Products written and refused by one chunk. */
  public record Outcome(int written, List<RowError> errors) {}

  // Tags travel as one text per product, joined with the unit separator (never in a tag).
  private static final String TAG_SEPARATOR = "\u001f";
  private static final String SPLIT_TAGS = "coalesce(string_to_array(t.tags, E'\\x1f'), '{}')";

  private final Connection connection;

  public ProductUpserter(Connection connection) {
    this.connection = connection;
  }

  public Outcome upsert(List<ParsedProduct> products) throws SQLException {
    if (products.isEmpty()) {
      return new Outcome(0, List.of());
    }
    Map<String, Long> existing = ids("select handle, id from products where handle = any(?)",
        "text", products.stream().map(ParsedProduct::handle).toArray());
    List<RowError> errors = new ArrayList<>();
    List<ParsedProduct> inserts = new ArrayList<>();
    List<ParsedProduct> updates = new ArrayList<>();
    for (ParsedProduct p : products) {
      if (existing.containsKey(p.handle())) {
        updates.add(p);
      } else if (p.title().hasValue()) {
        inserts.add(p);
      } else {
        errors.add(new RowError(p.line(), ShopifyColumn.TITLE.displayName(), null, "a new product needs a title"));
      }
    }
    insertProducts(inserts);
    updateProducts(updates, existing);
    List<ParsedProduct> written = new ArrayList<>(inserts);
    written.addAll(updates);
    Map<String, Long> productIds = ids("select handle, id from products where handle = any(?)",
        "text", written.stream().map(ParsedProduct::handle).toArray());
    variants(written, productIds);
    images(written, productIds);
    return new Outcome(written.size(), errors);
  }

  // ---- products ----

  private void insertProducts(List<ParsedProduct> products) throws SQLException {
    if (products.isEmpty()) {
      return;
    }
    Columns<ParsedProduct> c = productColumns(products);
    execute("""
        insert into products (handle, title, body_html, vendor, product_type, tags, published, status,
                              option1_name, option2_name, option3_name)
        select handle, title, body_html, vendor, product_type, """ + SPLIT_TAGS + """
        , published, coalesce(status, 'active'), option1_name, option2_name, option3_name
        from\s""" + c.unnest(), c);
  }

  private void updateProducts(List<ParsedProduct> products, Map<String, Long> ids) throws SQLException {
    if (products.isEmpty()) {
      return;
    }
    ParsedProduct first = products.get(0); // which columns the file has is the same for every row
    Columns<ParsedProduct> c = productColumns(products);
    c.add("id", "bigint", p -> ids.get(p.handle()));
    Assignments set = new Assignments("p", "t");
    set.keepWhenBlank("title", first.title().present());
    set.plain("body_html", first.bodyHtml().present());
    set.plain("vendor", first.vendor().present());
    set.plain("product_type", first.productType().present());
    set.expression("tags", first.tags().present(), SPLIT_TAGS);
    set.plain("published", first.published().present());
    set.keepWhenBlank("status", first.status().present());
    for (int i = 0; i < 3; i++) {
      set.plain("option" + (i + 1) + "_name", first.optionNames().get(i).present());
    }
    // A soft-deleted product that is imported again comes back.
    execute(set.update("products", c.unnest(), "p.id = t.id", ", deleted_at = null, updated_at = now()",
        " or p.deleted_at is not null"), c);
  }

  private static Columns<ParsedProduct> productColumns(List<ParsedProduct> products) {
    Columns<ParsedProduct> c = new Columns<>(products);
    c.add("handle", "text", ParsedProduct::handle);
    c.add("title", "text", p -> p.title().value());
    c.add("body_html", "text", p -> p.bodyHtml().value());
    c.add("vendor", "text", p -> p.vendor().value());
    c.add("product_type", "text", p -> p.productType().value());
    c.add("tags", "text", p -> p.tags().hasValue() ? String.join(TAG_SEPARATOR, p.tags().value()) : null);
    c.add("published", "boolean", p -> p.published().value());
    c.add("status", "text", p -> p.status().value());
    for (int i = 0; i < 3; i++) {
      int option = i;
      c.add("option" + (i + 1) + "_name", "text", p -> p.optionNames().get(option).value());
    }
    return c;
  }

  // ---- variants ----

  private record VariantRow(long productId, int position, ParsedProduct.Variant variant) {}

  private void variants(List<ParsedProduct> products, Map<String, Long> productIds) throws SQLException {
    List<VariantRow> withSku = new ArrayList<>();
    List<VariantRow> withoutSku = new ArrayList<>();
    for (ParsedProduct p : products) {
      for (int i = 0; i < p.variants().size(); i++) {
        VariantRow row = new VariantRow(productIds.get(p.handle()), i + 1, p.variants().get(i));
        (row.variant.sku().hasValue() ? withSku : withoutSku).add(row);
      }
    }
    if (!withSku.isEmpty()) {
      // "sku <> ''" lets PostgreSQL use the partial unique index on sku
      Map<String, Long> existing = ids("select sku, id from product_variants where sku = any(?) and sku <> ''",
          "text", withSku.stream().map(r -> r.variant.sku().value()).toArray());
      List<VariantRow> updates = withSku.stream().filter(r -> existing.containsKey(r.variant.sku().value())).toList();
      Columns<VariantRow> c = variantColumns(updates);
      c.add("id", "bigint", r -> existing.get(r.variant.sku().value()));
      execute(variantAssignments(withSku.get(0).variant).update("product_variants", c.unnest(), "v.id = t.id",
          ", updated_at = now()", ""), c);
      insertVariants(withSku.stream().filter(r -> !existing.containsKey(r.variant.sku().value())).toList(), "");
    }
    if (!withoutSku.isEmpty()) {
      String samePlace = "v.product_id = t.product_id and v.position = t.position and (v.sku is null or v.sku = '')";
      execute(variantAssignments(withoutSku.get(0).variant).update("product_variants", variantColumns(withoutSku).unnest(),
          samePlace, ", updated_at = now()", ""), variantColumns(withoutSku));
      insertVariants(withoutSku, " where not exists (select 1 from product_variants v where " + samePlace + ")");
    }
  }

  private void insertVariants(List<VariantRow> rows, String where) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Columns<VariantRow> c = variantColumns(rows);
    execute("insert into product_variants (product_id, sku, position, option1, option2, option3, price,"
        + " compare_at_price, grams, inventory_quantity)"
        + " select product_id, sku, position, option1, option2, option3, price, compare_at_price, grams,"
        + " inventory_quantity from " + c.unnest() + where, c);
  }

  private static Assignments variantAssignments(ParsedProduct.Variant first) {
    Assignments set = new Assignments("v", "t");
    set.plain("product_id", true);
    set.plain("position", true);
    for (int i = 0; i < 3; i++) {
      set.plain("option" + (i + 1), first.options().get(i).present());
    }
    set.plain("price", first.price().present());
    set.plain("compare_at_price", first.compareAtPrice().present());
    set.plain("grams", first.grams().present());
    set.plain("inventory_quantity", first.inventoryQuantity().present());
    return set;
  }

  private static Columns<VariantRow> variantColumns(List<VariantRow> rows) {
    Columns<VariantRow> c = new Columns<>(rows);
    c.add("product_id", "bigint", VariantRow::productId);
    c.add("sku", "text", r -> r.variant.sku().value());
    c.add("position", "int", VariantRow::position);
    for (int i = 0; i < 3; i++) {
      int option = i;
      c.add("option" + (i + 1), "text", r -> r.variant.options().get(option).value());
    }
    c.add("price", "numeric", r -> r.variant.price().value());
    c.add("compare_at_price", "numeric", r -> r.variant.compareAtPrice().value());
    c.add("grams", "int", r -> r.variant.grams().value());
    c.add("inventory_quantity", "int", r -> r.variant.inventoryQuantity().value());
    return c;
  }

  // ---- images ----

  private record ImageRow(long productId, ParsedProduct.Image image) {}

  private void images(List<ParsedProduct> products, Map<String, Long> productIds) throws SQLException {
    Map<String, ImageRow> unique = new LinkedHashMap<>(); // the same URL twice in a product: first wins
    for (ParsedProduct p : products) {
      long id = productIds.get(p.handle());
      for (ParsedProduct.Image image : p.images()) {
        unique.putIfAbsent(id + " " + image.src(), new ImageRow(id, image));
      }
    }
    if (unique.isEmpty()) {
      return;
    }
    List<ImageRow> rows = List.copyOf(unique.values());
    Columns<ImageRow> c = new Columns<>(rows);
    c.add("product_id", "bigint", ImageRow::productId);
    c.add("src", "text", r -> r.image.src());
    c.add("position", "int", r -> r.image.position().value());
    c.add("alt_text", "text", r -> r.image.alt().value());
    String samePlace = "i.product_id = t.product_id and i.src = t.src";
    Assignments set = new Assignments("i", "t");
    set.keepWhenBlank("position", rows.get(0).image.position().present());
    set.plain("alt_text", rows.get(0).image.alt().present());
    execute(set.update("product_images", c.unnest(), samePlace, "", ""), c);
    execute("insert into product_images (product_id, src, position, alt_text)"
        + " select product_id, src, coalesce(position, 1), alt_text from " + c.unnest()
        + " where not exists (select 1 from product_images i where " + samePlace + ")", c);
  }

  // ---- plumbing ----

  private Map<String, Long> ids(String sql, String type, Object[] keys) throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setArray(1, connection.createArrayOf(type, keys));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return ids;
  }

  /** Runs {@code sql}, whose only parameters are the columns' arrays, in order. */
  private void execute(String sql, Columns<?> columns) throws SQLException {
    if (sql == null || columns.rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      for (Array array : columns.arrays(connection)) {
        ps.setArray(i++, array);
      }
      ps.executeUpdate();
    }
  }

  /** One array parameter per column: rows go to PostgreSQL as columns and come back via unnest. */
  private static final class Columns<R> {
    private static final Map<String, String> JDBC_TYPES =
        Map.of("text", "text", "int", "int4", "bigint", "int8", "boolean", "bool", "numeric", "numeric");

    private final List<R> rows;
    private final List<String> names = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<Function<R, Object>> values = new ArrayList<>();

    Columns(List<R> rows) {
      this.rows = rows;
    }

    void add(String name, String type, Function<R, Object> value) {
      names.add(name);
      types.add(type);
      values.add(value);
    }

    /** "unnest(?::text[], ?::int[]) as t(handle, position)" */
    String unnest() {
      List<String> params = types.stream().map(t -> "?::" + t + "[]").toList();
      return "unnest(" + String.join(", ", params) + ") as t(" + String.join(", ", names) + ")";
    }

    List<Array> arrays(Connection connection) throws SQLException {
      List<Array> arrays = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        Object[] column = new Object[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
          column[r] = values.get(c).apply(rows.get(r));
        }
        arrays.add(connection.createArrayOf(JDBC_TYPES.get(types.get(c)), column));
      }
      return arrays;
    }
  }

  /**
   * "update t set a = …, b = … from unnest(…) where key and (a, b) is distinct from (…)": only the
   * columns the file has, and no write when a row already holds those values.
   */
  private static final class Assignments {
    private final String target;
    private final String source;
    private final List<String> columns = new ArrayList<>();
    private final List<String> expressions = new ArrayList<>();

    Assignments(String target, String source) {
      this.target = target;
      this.source = source;
    }

    void plain(String column, boolean present) {
      expression(column, present, source + "." + column);
    }

    /** The schema needs a value here: a blank cell keeps the stored one. */
    void keepWhenBlank(String column, boolean present) {
      expression(column, present, "coalesce(" + source + "." + column + ", " + target + "." + column + ")");
    }

    void expression(String column, boolean present, String expression) {
      if (present) {
        columns.add(column);
        expressions.add(expression);
      }
    }

    /** The statement, or null when the file has none of these columns. */
    String update(String table, String unnest, String match, String alsoSet, String orWhen) {
      if (columns.isEmpty()) {
        return null;
      }
      List<String> sets = new ArrayList<>();
      List<String> current = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        sets.add(columns.get(i) + " = " + expressions.get(i));
        current.add(target + "." + columns.get(i));
      }
      return "update " + table + " " + target + " set " + String.join(", ", sets) + alsoSet
          + " from " + unnest + " where " + match + " and ((" + String.join(", ", current) + ") is distinct from ("
          + String.join(", ", expressions) + ")" + orWhen + ")";
    }
  }
}
