package com.storeops.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Files shaped like Shopify's own product exports — the legacy header generation (with BOM, no
 * trailing newline, metafield, Google Shopping and market columns) and the current one — imported
 * through the REST API, then exported and imported again. See src/test/resources/shopify/README.md
 * for what each line of the files exercises.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopifyFilesRoundTripTest {

  private static final Set<String> LEGACY_KEPT = Set.of("ocean-tee", "gift-card", "html-note", "draft-mug");
  private static final Set<String> CURRENT_KEPT = Set.of("river-hoodie", "card-25", "desk-lamp");
  private static final String WARNING = "; kept, as Shopify allows a SKU on several variants";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  Http http;
  JsonNode legacyImport;
  JsonNode currentImport;

  @BeforeAll
  void importBothFiles() throws IOException {
    http = new Http(port);
    legacyImport = importFile(resource("legacy-export.csv"));
    currentImport = importFile(resource("current-export.csv"));
  }

  @Test
  void legacyFileImportsEveryProductShopifyAcceptsAndReportsTheRestByLine() {
    assertThat(legacyImport.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(legacyImport.at("/progress/total").asLong()).isEqualTo(9);
    assertThat(legacyImport.at("/counts/succeeded").asLong()).isEqualTo(4);
    assertThat(legacyImport.at("/counts/failed").asLong()).isEqualTo(5);
    assertThat(legacyImport.at("/counts/succeeded").asLong() + legacyImport.at("/counts/failed").asLong())
        .as("counts add up to the file's products").isEqualTo(9);
    assertThat(errors(legacyImport)).containsExactlyInAnyOrder(
        "line 2|Variant SKU|OCEAN|warning: SKU also on lines 3, 4, 7" + WARNING,
        "line 11|Variant Price|abc|not a price",
        "line 12|Handle||missing handle",
        "line 13|Title||a new product needs a title",
        "line 14|||expected 50 fields, found 2",
        "line 15|Vendor|Kiln \uFFFD(|invalid UTF-8");
  }

  @Test
  void currentFileImportsEveryProductShopifyAcceptsAndReportsTheRestByLine() {
    assertThat(currentImport.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(currentImport.at("/progress/total").asLong()).isEqualTo(5);
    assertThat(currentImport.at("/counts/succeeded").asLong()).isEqualTo(3);
    assertThat(currentImport.at("/counts/failed").asLong()).isEqualTo(2);
    assertThat(errors(currentImport)).containsExactlyInAnyOrder(
        "line 2|SKU|HOOD|warning: SKU also on lines 3, 5" + WARNING,
        "line 8|Price|12,5|not a price",
        "line 10|Option1 value|Red|the variant on line 9 has the same option values; each variant needs its own");
  }

  @Test
  void valuesAreStoredAsShopifyWroteThem() {
    assertThat(variant("ocean-tee", "S", "grams::text || ' ' || weight_unit || ' ' || price || ' ' || compare_at_price"
        + " || ' ' || cost_per_item || ' ' || taxable || ' ' || inventory_policy || ' ' || inventory_tracker || ' ' || barcode"))
        .isEqualTo("226.796185 lb 25.00 19.99 8.50 true deny shopify 0012345678905");
    assertThat(variant("ocean-tee", "M", "weight_unit || ' ' || inventory_policy || ' ' || taxable || ' ' || (v.extra ->> 'Price / International')"))
        .isEqualTo("lb continue false 29");
    assertThat(variant("ocean-tee", "L", "inventory_quantity || ' ' || grams::text || ' ' || option3 || ' ' || image_src"))
        .isEqualTo("-2 0 Linen https://cdn.shopify.com/s/files/1/0000/0001/products/ocean-sand.jpg");
    assertThat(product("ocean-tee", "product_category || '|' || seo_title || '|' || (extra ->> 'Fabric (product.metafields.custom.fabric)')"
        + " || '|' || (extra ->> 'Option2 Linked To') || '|' || (extra ->> 'Google Shopping / MPN') || '|' || (extra ->> 'Included / International')"))
        .isEqualTo("Apparel & Accessories > Clothing > Shirts & Tops|Ocean Tee | Harbour|Organic cotton|product.metafields.shopify.color-pattern|OT-1|TRUE");
    assertThat(jdbc.sql("select count(*) from product_variants where sku = 'OCEAN'").query(Long.class).single())
        .as("one SKU on four variants of two products").isEqualTo(4);
    assertThat(product("gift-card", "gift_card || ' ' || status")).isEqualTo("true active");
    assertThat(product("html-note", "body_html")).isEqualTo("<p>Line one</p>\r\n<p>Line two</p>\r<ul>\n<li>dotted\u2028ruled</li></ul>");
    assertThat(product("html-note", "coalesce(vendor, 'null') || ' ' || cardinality(tags)")).isEqualTo("null 0");
    assertThat(product("draft-mug", "status || ' ' || published")).isEqualTo("draft false");
    assertThat(variant("draft-mug", null, "grams::text || ' ' || inventory_policy || ' ' || cost_per_item")).isEqualTo("500.0 continue 3.00");
    assertThat(variant("river-hoodie", "M", "grams::text || ' ' || inventory_policy || ' ' || (v.extra ->> 'Variant Tax Code')"
        + " || ' ' || (v.extra ->> 'Unit price base measure unit')")).isEqualTo("453.59237 deny PC040200 item");
    assertThat(product("river-hoodie", "extra ->> 'Warehouse bin'")).isEqualTo("A-12");
    assertThat(jdbc.sql("select v.extra ->> 'Warehouse bin' from product_variants v join products p on p.id = v.product_id"
        + " where p.handle = 'river-hoodie' and v.option2 = 'Grey'").query(String.class).single()).isEqualTo("B-3");
    assertThat(product("desk-lamp", "status || ' ' || published")).isEqualTo("archived false");
  }

  @Test
  void anExportHoldsEveryValueOfTheImportedFile() throws IOException {
    assertHoldsEveryValue(resource("legacy-export.csv"), export("legacy"), "Handle", LEGACY_KEPT);
    assertHoldsEveryValue(resource("current-export.csv"), export("current"), "URL handle", CURRENT_KEPT);
  }

  @Test
  void importingAnExportChangesNothingAndExportsTheSameFileAgain() {
    for (String generation : List.of("legacy", "current")) {
      String handleColumn = generation.equals("legacy") ? "Handle" : "URL handle";
      Set<String> handles = new java.util.HashSet<>(LEGACY_KEPT);
      handles.addAll(CURRENT_KEPT);
      String first = only(export(generation), handleColumn, handles);
      List<String> before = snapshot(handles);

      JsonNode again = importFile(first.getBytes(StandardCharsets.UTF_8));

      assertThat(again.at("/counts/succeeded").asLong()).isEqualTo(handles.size());
      assertThat(errors(again)).as("a SKU repeated is still reported").allMatch(e -> e.contains("warning: SKU"));
      assertThat(snapshot(handles)).as(generation + ": no row written, not even updated_at").isEqualTo(before);
      assertThat(only(export(generation), handleColumn, handles)).isEqualTo(first);
    }
  }

  @Test
  void anUnknownGenerationIsA400AndOnlyAnExportHasAFile() {
    Http.Response unknown = http.post("/api/exports?generation=2019", "{}");
    Http.Response notAnExport = http.get("/api/exports/" + legacyImport.get("id").asString() + "/file");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("field").asString()).isEqualTo("generation");
    assertThat(notAnExport.status()).isEqualTo(404);
  }

  // ---- helpers ----

  private JsonNode importFile(byte[] csv) {
    Http.Response started = http.upload("/api/operations/import", "file", "products.csv", csv);
    assertThat(started.status()).isEqualTo(202);
    return http.awaitEnded(started.json().get("id").asString());
  }

  private List<String> errors(JsonNode operation) {
    String csv = http.get("/api/operations/" + operation.get("id").asString() + "/errors").body();
    return parse(csv).stream().skip(1).map(r -> String.join("|", r.toList())).toList();
  }

  private String export(String generation) {
    Http.Response started = http.post("/api/exports?generation=" + generation, "{}");
    assertThat(started.status()).isEqualTo(202);
    String id = started.json().get("id").asString();
    assertThat(http.awaitEnded(id).get("status").asString()).isEqualTo("COMPLETED");
    Http.Response file = http.get("/api/exports/" + id + "/file");
    assertThat(file.status()).isEqualTo(200);
    return file.body();
  }

  /** The export's header and the rows of {@code handles}: the catalogue also holds other tests' products. */
  private static String only(String csv, String handleColumn, Set<String> handles) {
    List<CSVRecord> records = parse(csv);
    int handle = records.get(0).toList().indexOf(handleColumn);
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
      printer.printRecord(records.get(0).toList());
      for (CSVRecord r : records.subList(1, records.size())) {
        if (handles.contains(r.get(handle))) {
          printer.printRecord(r.toList());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** Every non-blank cell of the kept products, by handle, row within the product and column name. */
  private static void assertHoldsEveryValue(byte[] input, String exported, String handleColumn, Set<String> kept) {
    Map<String, String> in = cells(parse(new String(input, StandardCharsets.UTF_8).replace("\uFEFF", "")), handleColumn, kept);
    Map<String, String> out = cells(parse(exported), handleColumn, kept);
    assertThat(in).isNotEmpty();
    for (Map.Entry<String, String> cell : in.entrySet()) {
      String column = cell.getKey().substring(cell.getKey().lastIndexOf('|') + 1);
      assertThat(normal(column, out.get(cell.getKey()))).as(cell.getKey()).isEqualTo(normal(column, cell.getValue()));
    }
  }

  private static Map<String, String> cells(List<CSVRecord> records, String handleColumn, Set<String> kept) {
    List<String> header = records.get(0).toList();
    int handle = header.indexOf(handleColumn);
    Map<String, String> cells = new LinkedHashMap<>();
    Map<String, Integer> rowOfProduct = new LinkedHashMap<>();
    for (CSVRecord r : records.subList(1, records.size())) {
      if (!kept.contains(r.get(handle))) {
        continue;
      }
      int row = rowOfProduct.merge(r.get(handle), 1, Integer::sum);
      for (int i = 0; i < header.size(); i++) {
        if (!r.get(i).isEmpty()) {
          cells.put(r.get(handle) + "|" + row + "|" + header.get(i), r.get(i));
        }
      }
    }
    return cells;
  }

  /** Shopify's equivalences: numbers by value, TRUE/true, deny/FALSE for the current policy column, tags as a list. */
  private static String normal(String column, String value) {
    if (value == null) {
      return null;
    }
    if (column.equals("Tags")) {
      return Arrays.stream(value.split(",")).map(String::strip).collect(Collectors.joining(","));
    }
    if (column.equals("Continue selling when out of stock") || column.equals("Variant Inventory Policy")) {
      return Set.of("true", "continue").contains(value.toLowerCase(Locale.ROOT)) ? "continue" : "deny";
    }
    try {
      return new BigDecimal(value).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return Set.of("true", "false", "active", "draft", "archived", "kg", "g", "lb", "oz").contains(value.toLowerCase(Locale.ROOT))
          ? value.toLowerCase(Locale.ROOT) : value;
    }
  }

  private List<String> snapshot(Set<String> handles) {
    String[] h = handles.toArray(String[]::new);
    List<String> rows = new ArrayList<>();
    rows.addAll(jdbc.sql("select row_to_json(p)::text from products p where handle = any(?) order by id").param(h).query(String.class).list());
    rows.addAll(jdbc.sql("select row_to_json(v)::text from product_variants v join products p on p.id = v.product_id"
        + " where p.handle = any(?) order by v.id").param(h).query(String.class).list());
    rows.addAll(jdbc.sql("select row_to_json(i)::text from product_images i join products p on p.id = i.product_id"
        + " where p.handle = any(?) order by i.id").param(h).query(String.class).list());
    return rows;
  }

  private String product(String handle, String expression) {
    return jdbc.sql("select " + expression + " from products where handle = ?").param(handle).query(String.class).single();
  }

  private String variant(String handle, String option1, String expression) {
    return jdbc.sql("select " + expression + " from product_variants v join products p on p.id = v.product_id"
            + " where p.handle = ? and v.option1 is not distinct from ?")
        .param(handle).param(option1).query(String.class).single();
  }

  private static List<CSVRecord> parse(String csv) {
    try {
      return CSVFormat.RFC4180.builder().get().parse(new StringReader(csv)).getRecords();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ShopifyFilesRoundTripTest.class.getResourceAsStream("/shopify/" + name)) {
      return in.readAllBytes();
    }
  }
}
