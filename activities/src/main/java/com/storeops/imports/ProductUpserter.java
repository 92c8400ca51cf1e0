package com.storeops.imports;

import com.storeops.imports.ParsedProduct.Cell;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one chunk of parsed products into products / product_variants / product_images, inside
 * the caller's transaction. Products are matched by handle, variants by SKU (or, without a SKU, by
 * their position in the product), images by URL.
 *
 * <p>Shopify's overwrite rule: a column missing from the file keeps the stored value, a blank cell
 * clears it — except where the schema needs a value: a blank title or status keeps the stored one,
 * and a new product without a title is refused. Updates that would change nothing are skipped, so
 * re-importing a file leaves every row (and its updated_at) as it was.
 */
public final class ProductUpserter {

  /** Products written and refused by one chunk. */
  public record Outcome(int written, List<RowError> errors) {}

  private final Connection connection;

  public ProductUpserter(Connection connection) {
    this.connection = connection;
  }

  public Outcome upsert(List<ParsedProduct> products) throws SQLException {
    Map<String, Long> existing = existingIds(products);
    List<RowError> errors = new ArrayList<>();
    int written = 0;
    for (ParsedProduct p : products) {
      Long id = existing.get(p.handle());
      if (id == null && !p.title().hasValue()) {
        errors.add(new RowError(p.line(), ShopifyColumn.TITLE.displayName(), null, "a new product needs a title"));
        continue;
      }
      id = id == null ? insert(p) : update(id, p);
      for (int i = 0; i < p.variants().size(); i++) {
        variant(id, i + 1, p.variants().get(i));
      }
      for (ParsedProduct.Image image : p.images()) {
        image(id, image);
      }
      written++;
    }
    return new Outcome(written, errors);
  }

  private Map<String, Long> existingIds(List<ParsedProduct> products) throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement("select handle, id from products where handle = any(?)")) {
      ps.setArray(1, connection.createArrayOf("text", products.stream().map(ParsedProduct::handle).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return ids;
  }

  private long insert(ParsedProduct p) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("""
        insert into products (handle, title, body_html, vendor, product_type, tags, published, status,
                              option1_name, option2_name, option3_name)
        values (?, ?, ?, ?, ?, ?, ?, coalesce(?, 'active'), ?, ?, ?)
        returning id""")) {
      ps.setString(1, p.handle());
      ps.setString(2, p.title().value());
      ps.setString(3, p.bodyHtml().value());
      ps.setString(4, p.vendor().value());
      ps.setString(5, p.productType().value());
      ps.setArray(6, tags(p.tags().hasValue() ? p.tags().value() : List.of()));
      setBoolean(ps, 7, p.published().value());
      ps.setString(8, p.status().value());
      for (int i = 0; i < 3; i++) {
        ps.setString(9 + i, p.optionNames().get(i).value());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Sets only the columns the file has; skips the write when nothing would change. */
  private long update(long id, ParsedProduct p) throws SQLException {
    Assignments set = new Assignments();
    set.text("title", p.title().hasValue() ? p.title() : Cell.missing());
    set.text("body_html", p.bodyHtml());
    set.text("vendor", p.vendor());
    set.text("product_type", p.productType());
    if (p.tags().present()) {
      set.add("tags", p.tags().hasValue() ? tags(p.tags().value()) : tags(List.of()), Types.ARRAY);
    }
    if (p.published().present()) {
      set.add("published", p.published().value(), Types.BOOLEAN);
    }
    set.text("status", p.status().hasValue() ? p.status() : Cell.missing());
    set.text("option1_name", p.optionNames().get(0));
    set.text("option2_name", p.optionNames().get(1));
    set.text("option3_name", p.optionNames().get(2));
    // a soft-deleted product that is imported again comes back
    set.execute(connection, "products", id, ", deleted_at = null, updated_at = now()", " or deleted_at is not null");
    return id;
  }

  private void variant(long productId, int position, ParsedProduct.Variant v) throws SQLException {
    Long id = v.sku().hasValue()
        ? findId("select id from product_variants where sku = ?", v.sku().value())
        : findId("select id from product_variants where product_id = ? and position = ? and (sku is null or sku = '')", productId, position);
    if (id == null) {
      try (PreparedStatement ps = connection.prepareStatement("""
          insert into product_variants (product_id, sku, position, option1, option2, option3, price,
                                        compare_at_price, grams, inventory_quantity)
          values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        ps.setLong(1, productId);
        ps.setString(2, v.sku().value());
        ps.setInt(3, position);
        for (int i = 0; i < 3; i++) {
          ps.setString(4 + i, v.options().get(i).value());
        }
        ps.setBigDecimal(7, v.price().value());
        ps.setBigDecimal(8, v.compareAtPrice().value());
        ps.setObject(9, v.grams().value(), Types.INTEGER);
        ps.setObject(10, v.inventoryQuantity().value(), Types.INTEGER);
        ps.executeUpdate();
      }
      return;
    }
    Assignments set = new Assignments();
    set.add("product_id", productId, Types.BIGINT);
    set.add("position", position, Types.INTEGER);
    set.text("option1", v.options().get(0));
    set.text("option2", v.options().get(1));
    set.text("option3", v.options().get(2));
    set.cell("price", v.price(), Types.NUMERIC);
    set.cell("compare_at_price", v.compareAtPrice(), Types.NUMERIC);
    set.cell("grams", v.grams(), Types.INTEGER);
    set.cell("inventory_quantity", v.inventoryQuantity(), Types.INTEGER);
    set.execute(connection, "product_variants", id, ", updated_at = now()", "");
  }

  private void image(long productId, ParsedProduct.Image image) throws SQLException {
    Long id = findId("select id from product_images where product_id = ? and src = ?", productId, image.src());
    if (id == null) {
      try (PreparedStatement ps = connection.prepareStatement(
          "insert into product_images (product_id, src, position, alt_text) values (?, ?, coalesce(?, 1), ?)")) {
        ps.setLong(1, productId);
        ps.setString(2, image.src());
        ps.setObject(3, image.position().value(), Types.INTEGER);
        ps.setString(4, image.alt().value());
        ps.executeUpdate();
      }
      return;
    }
    Assignments set = new Assignments();
    set.cell("position", image.position().hasValue() ? image.position() : Cell.missing(), Types.INTEGER);
    set.text("alt_text", image.alt());
    set.execute(connection, "product_images", id, "", "");
  }

  private Long findId(String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private Array tags(List<String> tags) throws SQLException {
    return connection.createArrayOf("text", tags.toArray());
  }

  private static void setBoolean(PreparedStatement ps, int index, Boolean value) throws SQLException {
    ps.setObject(index, value, Types.BOOLEAN);
  }

  /**
   * "update t set a = ?, b = ? where id = ? and (a, b) is distinct from (?, ?)": only the columns
   * the file has, and no write when the row already holds those values.
   */
  private static final class Assignments {
    private final List<String> columns = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    void text(String column, Cell<String> cell) {
      cell(column, cell, Types.VARCHAR);
    }

    void cell(String column, Cell<?> cell, int type) {
      if (cell.present()) {
        add(column, cell.value(), type);
      }
    }

    void add(String column, Object value, int type) {
      columns.add(column);
      values.add(value);
      types.add(type);
    }

    /**
     * @param alsoSet further assignments, starting with ", " (or empty)
     * @param orWhen a further reason to write, starting with " or " (or empty)
     */
    void execute(Connection connection, String table, long id, String alsoSet, String orWhen) throws SQLException {
      if (columns.isEmpty()) {
        return;
      }
      String placeholders = String.join(", ", columns.stream().map(c -> "?").toList());
      String sql = "update " + table + " set " + String.join(", ", columns.stream().map(c -> c + " = ?").toList())
          + alsoSet + " where id = ? and ((" + String.join(", ", columns) + ") is distinct from (" + placeholders + ")"
          + orWhen + ")";
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        int i = 1;
        for (int round = 0; round < 2; round++) {
          if (round == 1) {
            ps.setLong(i++, id);
          }
          for (int c = 0; c < columns.size(); c++) {
            ps.setObject(i++, values.get(c), types.get(c));
          }
        }
        ps.executeUpdate();
      }
    }
  }
}
