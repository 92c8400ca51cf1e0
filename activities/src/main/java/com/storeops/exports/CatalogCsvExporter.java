package com.storeops.exports;

import com.storeops.imports.ShopifyColumn;
import com.storeops.imports.ShopifyColumn.Generation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the catalogue as a Shopify product CSV, laid out as Shopify exports it: a product's first
 * row carries the product's columns and its first variant and image, each further row the next
 * variant and/or image, every row the handle. The standard columns come in the generation's order,
 * then every key kept in {@code extra} under its own header, so an import of the file reads back
 * what was stored. Holds one page of products at a time.
 */
@Component
public class CatalogCsvExporter {

  static final int PAGE_PRODUCTS = 500;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

  /** Products and CSV rows written, header not counted. */
  public record Written(long products, long rows) {}

  private record Row(Map<ShopifyColumn, String> values, Map<String, String> extra) {}

  private record Product(long id, Row row, List<Row> variants, List<Row> images) {}

  private final JdbcClient jdbc;

  public CatalogCsvExporter(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public long countProducts() {
    return jdbc.sql(ExportSql.COUNT_PRODUCTS).query(Long.class).single();
  }

  /** Writes the file to {@code out} (closed when done); {@code pageWritten} hears each page's product count. */
  public Written write(OutputStream out, Generation generation, LongConsumer pageWritten) {
    List<ShopifyColumn> standard = ShopifyColumn.inOrder(generation);
    List<String> extraKeys = new ArrayList<>(jdbc.sql(ExportSql.EXTRA_KEYS).query(String.class).list());
    standard.stream().filter(ShopifyColumn::extra).forEach(c -> extraKeys.remove(c.displayName()));
    List<String> header = new ArrayList<>();
    standard.forEach(c -> header.add(c.name(generation)));
    header.addAll(extraKeys);
    long products = 0;
    long rows = 0;
    try (Writer chars = new OutputStreamWriter(out, StandardCharsets.UTF_8); CSVPrinter csv = new CSVPrinter(chars, CSV)) {
      csv.printRecord(header);
      long after = 0;
      for (List<Product> page = page(after); !page.isEmpty(); page = page(after)) {
        for (Product product : page) {
          rows += print(csv, product, standard, extraKeys, generation);
        }
        products += page.size();
        after = page.get(page.size() - 1).id;
        csv.flush();
        pageWritten.accept(page.size());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Written(products, rows);
  }

  private static int print(CSVPrinter csv, Product p, List<ShopifyColumn> standard, List<String> extraKeys, Generation g)
      throws IOException {
    int rows = Math.max(1, Math.max(p.variants.size(), p.images.size()));
    boolean defaultTitle = !p.variants.isEmpty() && p.row.values.get(ShopifyColumn.OPTION1_NAME) == null
        && p.row.values.get(ShopifyColumn.OPTION2_NAME) == null && p.row.values.get(ShopifyColumn.OPTION3_NAME) == null
        && p.variants.stream().allMatch(v -> v.values.get(ShopifyColumn.OPTION1_VALUE) == null
            && v.values.get(ShopifyColumn.OPTION2_VALUE) == null && v.values.get(ShopifyColumn.OPTION3_VALUE) == null);
    List<String> record = new ArrayList<>(standard.size() + extraKeys.size());
    for (int i = 0; i < rows; i++) {
      Row variant = i < p.variants.size() ? p.variants.get(i) : null;
      Row image = i < p.images.size() ? p.images.get(i) : null;
      record.clear();
      for (ShopifyColumn c : standard) {
        record.add(cell(c, i == 0 ? p.row : null, variant, image, g, defaultTitle, p.row.values.get(ShopifyColumn.HANDLE)));
      }
      for (String key : extraKeys) {
        String value = i == 0 ? p.row.extra.get(key) : null;
        record.add(value != null ? value : variant == null ? "" : variant.extra.getOrDefault(key, ""));
      }
      csv.printRecord(record);
    }
    return rows;
  }

  private static String cell(ShopifyColumn c, Row product, Row variant, Row image, Generation g, boolean defaultTitle, String handle) {
    if (c == ShopifyColumn.HANDLE) {
      return handle;
    }
    Row source = switch (c.level()) {
      case PRODUCT -> product;
      case VARIANT -> variant;
      case IMAGE -> image;
    };
    if (source == null) {
      return "";
    }
    if (defaultTitle && c == ShopifyColumn.OPTION1_NAME) {
      return "Title";
    }
    if (defaultTitle && c == ShopifyColumn.OPTION1_VALUE) {
      return "Default Title";
    }
    String value = c.extra() ? source.extra.get(c.displayName()) : source.values.get(c);
    if (value == null) {
      return "";
    }
    if (c == ShopifyColumn.INVENTORY_POLICY && g == Generation.CURRENT) {
      return "continue".equals(value) ? "TRUE" : "FALSE";
    }
    return value;
  }

  // ---- reading ----

  private List<Product> page(long after) {
    Map<Long, Product> products = new LinkedHashMap<>();
    jdbc.sql(ExportSql.PRODUCTS_PAGE).param("after", after).param("limit", PAGE_PRODUCTS).query(rs -> {
      Map<ShopifyColumn, String> v = new EnumMap<>(ShopifyColumn.class);
      v.put(ShopifyColumn.HANDLE, rs.getString("handle"));
      v.put(ShopifyColumn.TITLE, rs.getString("title"));
      v.put(ShopifyColumn.BODY_HTML, rs.getString("body_html"));
      v.put(ShopifyColumn.VENDOR, rs.getString("vendor"));
      v.put(ShopifyColumn.PRODUCT_CATEGORY, rs.getString("product_category"));
      v.put(ShopifyColumn.PRODUCT_TYPE, rs.getString("product_type"));
      v.put(ShopifyColumn.TAGS, rs.getString("tags"));
      v.put(ShopifyColumn.PUBLISHED, bool(rs, "published"));
      v.put(ShopifyColumn.STATUS, rs.getString("status"));
      v.put(ShopifyColumn.OPTION1_NAME, rs.getString("option1_name"));
      v.put(ShopifyColumn.OPTION2_NAME, rs.getString("option2_name"));
      v.put(ShopifyColumn.OPTION3_NAME, rs.getString("option3_name"));
      v.put(ShopifyColumn.GIFT_CARD, bool(rs, "gift_card"));
      v.put(ShopifyColumn.SEO_TITLE, rs.getString("seo_title"));
      v.put(ShopifyColumn.SEO_DESCRIPTION, rs.getString("seo_description"));
      long id = rs.getLong("id");
      products.put(id, new Product(id, new Row(v, extra(rs)), new ArrayList<>(), new ArrayList<>()));
    });
    if (products.isEmpty()) {
      return List.of();
    }
    long first = products.keySet().iterator().next();
    long last = first;
    for (long id : products.keySet()) {
      last = id;
    }
    jdbc.sql(ExportSql.VARIANTS_OF_PAGE).param("first", first).param("last", last).query(rs -> {
      Product p = products.get(rs.getLong("product_id"));
      if (p == null) {
        return; // a soft-deleted product inside the page's id range
      }
      Map<ShopifyColumn, String> v = new EnumMap<>(ShopifyColumn.class);
      v.put(ShopifyColumn.OPTION1_VALUE, rs.getString("option1"));
      v.put(ShopifyColumn.OPTION2_VALUE, rs.getString("option2"));
      v.put(ShopifyColumn.OPTION3_VALUE, rs.getString("option3"));
      v.put(ShopifyColumn.SKU, rs.getString("sku"));
      v.put(ShopifyColumn.PRICE, number(rs, "price"));
      v.put(ShopifyColumn.COMPARE_AT_PRICE, number(rs, "compare_at_price"));
      v.put(ShopifyColumn.GRAMS, number(rs, "grams"));
      v.put(ShopifyColumn.INVENTORY_QUANTITY, rs.getString("inventory_quantity"));
      v.put(ShopifyColumn.WEIGHT_UNIT, rs.getString("weight_unit"));
      v.put(ShopifyColumn.BARCODE, rs.getString("barcode"));
      v.put(ShopifyColumn.TAXABLE, bool(rs, "taxable"));
      v.put(ShopifyColumn.REQUIRES_SHIPPING, bool(rs, "requires_shipping"));
      v.put(ShopifyColumn.COST_PER_ITEM, number(rs, "cost_per_item"));
      v.put(ShopifyColumn.INVENTORY_POLICY, rs.getString("inventory_policy"));
      v.put(ShopifyColumn.INVENTORY_TRACKER, rs.getString("inventory_tracker"));
      v.put(ShopifyColumn.FULFILLMENT_SERVICE, rs.getString("fulfillment_service"));
      v.put(ShopifyColumn.VARIANT_IMAGE, rs.getString("image_src"));
      p.variants.add(new Row(v, extra(rs)));
    });
    jdbc.sql(ExportSql.IMAGES_OF_PAGE).param("first", first).param("last", last).query(rs -> {
      Product p = products.get(rs.getLong("product_id"));
      if (p == null) {
        return;
      }
      Map<ShopifyColumn, String> v = new EnumMap<>(ShopifyColumn.class);
      v.put(ShopifyColumn.IMAGE_SRC, rs.getString("src"));
      v.put(ShopifyColumn.IMAGE_POSITION, rs.getString("position"));
      v.put(ShopifyColumn.IMAGE_ALT, rs.getString("alt_text"));
      p.images.add(new Row(v, Map.of()));
    });
    return List.copyOf(products.values());
  }

  private static String bool(ResultSet rs, String column) throws SQLException {
    boolean value = rs.getBoolean(column);
    return rs.wasNull() ? null : value ? "TRUE" : "FALSE";
  }

  /** numeric keeps the scale it was given: grams come back with the file's digits. */
  private static String number(ResultSet rs, String column) throws SQLException {
    BigDecimal value = rs.getBigDecimal(column);
    return value == null ? null : value.toPlainString();
  }

  private static Map<String, String> extra(ResultSet rs) throws SQLException {
    String text = rs.getString("extra");
    if (text == null || text.equals("{}")) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : JSON.readTree(text).properties()) {
      values.put(e.getKey(), e.getValue().asString());
    }
    return values;
  }
}
