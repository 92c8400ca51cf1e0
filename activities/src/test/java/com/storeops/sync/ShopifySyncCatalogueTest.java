package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.exports.CatalogCsvExporter;
import com.storeops.imports.ParsedProduct;
import com.storeops.imports.ProductUpserter;
import com.storeops.imports.ShopifyColumn;
import com.storeops.imports.ShopifyCsvReader;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.FakeShopify;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a sync keeps of Shopify's catalogue, and how it finds the rows it writes: a variant by its
 * Shopify id, or — first imported from a CSV — by its product and option values, never by SKU. The
 * same fields as the CSV import arrive from both the incremental (paged) and the full (bulk) sync.
 */
@SpringBootTest
class ShopifySyncCatalogueTest {

  private static final String SHOP = "fake.myshopify.com";
  private static final String CSV_HEADER = "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,"
      + "Variant Price,Fabric (product.metafields.custom.fabric),Google Shopping / Gender\n";

  @Autowired JdbcClient jdbc;
  @Autowired ShopifySyncRepository repository;
  @Autowired Operations operations;
  @Autowired TransactionTemplate transactions;
  @Autowired OperationTracker tracker;
  @Autowired ProductUpserter upserter;
  @Autowired CatalogCsvExporter exporter;

  private FakeShopify shop;
  private TestActivityEnvironment env;

  @BeforeEach
  void emptyCatalogue() {
    jdbc.sql("truncate products cascade").update();
    jdbc.sql("delete from shopify_sync_state").update();
    shop = new FakeShopify(1_000_000, 1_000_000);
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    shop.close();
  }

  @Test
  void aShopRepeatingSkusWithinAndAcrossProductsSyncsWhole() throws Exception {
    // A shipping-protection app puts one SKU on every variant of its product; a bundle SKU sits on
    // variants of several products. Half of the shop was first imported from its CSV export.
    for (int i = 0; i < 12; i++) {
      int n = i;
      shop.addProduct(p -> {
        p.handle = "protect-" + n;
        p.options.add("Coverage");
        for (int v = 0; v < 3; v++) {
          p.variants.add(shop.variant(v == 2 ? "BUNDLE" : "PROTECT", (v + 1) + ".00", "Tier " + v));
        }
      });
    }
    StringBuilder csv = new StringBuilder(CSV_HEADER);
    for (int i = 0; i < 6; i++) {
      for (int v = 0; v < 3; v++) {
        csv.append("protect-").append(i).append(",").append(v == 0 ? "Protection " + i : "").append(",")
            .append(v == 0 ? "Coverage" : "").append(",Tier ").append(v).append(",,,").append(v == 2 ? "BUNDLE" : "PROTECT")
            .append(",").append(v + 1).append(".00,,\n");
      }
    }
    importCsv(csv.toString());

    assertThat(sync(false, 5)).isEqualTo(12);
    assertWhole(12, 36);
    assertThat(sync(true, 5)).isEqualTo(12);
    assertWhole(12, 36);
    assertThat(count("select count(*) from product_variants where sku = 'PROTECT'")).isEqualTo(24);
    assertThat(count("select count(*) from product_variants where sku = 'BUNDLE'")).isEqualTo(12);
  }

  @Test
  void everyFieldTheImportKeepsArrivesFromTheIncrementalAndTheBulkSync() {
    shirtAndGiftCard();

    sync(false, 10);
    assertThat(stored()).isEqualTo(EXPECTED);

    jdbc.sql("truncate products cascade").update();
    sync(true, 10);
    assertThat(stored()).as("the same from a bulk export").isEqualTo(EXPECTED);
  }

  @Test
  void variantsAndMetafieldsBeyondAPagesFirstNodesArriveWithEveryField() {
    shop.addProduct(p -> {
      p.handle = "many-sizes";
      p.options.add("Size");
      for (int i = 1; i <= ShopifyProductReader.VARIANTS + 4; i++) {
        p.variants.add(shop.variant("SIZE", "9.00", "EU " + i).withInventory("B" + i, true, "CONTINUE", true, true, "1.10")
            .withWeight(i + ".5", "GRAMS"));
      }
      for (int i = 1; i <= ShopifyProductReader.METAFIELDS + 2; i++) {
        p.metafields.add(shop.metafield("custom", "k" + i, "single_line_text_field", "v" + i, "K" + i));
      }
    });

    sync(false, 10);

    assertThat(jdbc.sql("""
        select string_agg(option1 || ' ' || barcode || ' ' || grams || weight_unit || ' ' || inventory_policy || ' ' || cost_per_item,
                          ', ' order by position)
        from product_variants""").query(String.class).single())
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, ShopifyProductReader.VARIANTS + 4)
            .mapToObj(i -> "EU " + i + " B" + i + " " + i + ".5g continue 1.10").collect(java.util.stream.Collectors.joining(", ")));
    assertThat(count("select count(*) from products p, jsonb_object_keys(p.extra) k where k like 'K% (product.metafields.custom.k%)'"))
        .isEqualTo(ShopifyProductReader.METAFIELDS + 2);
  }

  @Test
  void aProductImportedFromCsvIsAdoptedByItsOptionValuesNotItsSku() throws Exception {
    importCsv(CSV_HEADER
        + "tee,Tee,Size,S,Colour,Red,TEE,10.00,cotton,Unisex\n"
        + "tee,,,M,,Red,TEE,10.00,,\n"
        + "tee,,,L,,Blue,,12.00,,\n"
        + "mug,Mug,Title,Default Title,,,MUG,5.00,,\n");
    Map<String, Long> before = variantIds();
    // Shopify lists the variants in another order and with other SKUs: only the option values match.
    FakeShopify.FakeProduct tee = shop.addProduct(p -> {
      p.handle = "tee";
      p.options.addAll(List.of("Size", "Colour"));
      p.variants.add(shop.variant("TEE-L", "12.00", "L", "Blue"));
      p.variants.add(shop.variant("TEE-S", "10.00", "S", "Red"));
      p.variants.add(shop.variant("TEE-M", "10.00", "M", "Red"));
      p.metafields.add(shop.metafield("custom", "fabric", "single_line_text_field", "linen", "Fabric"));
    });
    FakeShopify.FakeProduct mug = shop.addProduct(p -> {
      p.handle = "mug";
      p.options.add("Title");
      p.variants.add(shop.variant("MUG-1", "5.00", "Default Title"));
    });

    sync(false, 10);

    assertThat(variantIds()).as("the imported rows were adopted, none inserted").isEqualTo(before);
    assertThat(jdbc.sql("""
        select string_agg(coalesce(v.option1, '-') || '/' || coalesce(v.option2, '-') || '=' || v.shopify_id || ':' || v.sku, ' '
                          order by v.position)
        from product_variants v join products p on p.id = v.product_id group by p.handle order by p.handle""")
        .query(String.class).list())
        .containsExactly("-/-=" + mug.variants.get(0).id() + ":MUG-1",
            "L/Blue=" + tee.variants.get(0).id() + ":TEE-L S/Red=" + tee.variants.get(1).id() + ":TEE-S M/Red="
                + tee.variants.get(2).id() + ":TEE-M");
    assertThat(jdbc.sql("select extra::text from products where handle = 'tee'").query(String.class).single())
        .as("Shopify's metafields replace the imported ones; columns that are not metafields stay")
        .isEqualTo("{\"Google Shopping / Gender\": \"Unisex\", \"Fabric (product.metafields.custom.fabric)\": \"linen\"}");
    assertThat(jdbc.sql("select shopify_id from products where handle = 'tee'").query(Long.class).single()).isEqualTo(tee.id);
  }

  @Test
  void aSyncedCatalogueExportsWithTheSyncedValues() throws Exception {
    shirtAndGiftCard();
    sync(true, 10);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.write(out, ShopifyColumn.Generation.LEGACY, n -> {});

    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
    CSVRecord first = rows.stream().filter(r -> r.get("Handle").equals("linen-shirt")).findFirst().orElseThrow();
    assertThat(first.get("Product Category")).isEqualTo("Apparel & Accessories > Clothing > Shirts");
    assertThat(first.get("SEO Title")).isEqualTo("Linen shirt | Acme");
    assertThat(first.get("SEO Description")).isEqualTo("Breathable.");
    assertThat(first.get("Gift Card")).isEqualTo("FALSE");
    assertThat(first.get("Fabric (product.metafields.custom.fabric)")).isEqualTo("linen");
    assertThat(first.get("Variant Barcode")).isEqualTo("4006381333931");
    assertThat(first.get("Variant Grams")).isEqualTo("226.796185");
    assertThat(first.get("Variant Weight Unit")).isEqualTo("lb");
    assertThat(first.get("Cost per item")).isEqualTo("4.25");
    assertThat(first.get("Variant Inventory Policy")).isEqualTo("continue");
    assertThat(first.get("Variant Inventory Tracker")).isEqualTo("shopify");
    assertThat(first.get("Variant Taxable")).isEqualTo("FALSE");
    assertThat(first.get("Variant Image")).isEqualTo("https://cdn.fake/shirt-white.png");
    CSVRecord card = rows.stream().filter(r -> r.get("Handle").equals("gift-card")).findFirst().orElseThrow();
    assertThat(card.get("Option1 Name") + "|" + card.get("Option1 Value")).isEqualTo("Title|Default Title");
    assertThat(card.get("Gift Card")).isEqualTo("TRUE");
  }

  // ---- the shop ----

  /** A shirt with every field filled in, and an option-less gift card. */
  private void shirtAndGiftCard() {
    shop.addProduct(p -> {
      p.handle = "linen-shirt";
      p.title = "Linen shirt";
      p.vendor = "Acme";
      p.productType = "Shirts";
      p.status = "DRAFT";
      p.tags = List.of("summer", "linen");
      p.category = "Apparel & Accessories > Clothing > Shirts";
      p.seoTitle = "Linen shirt | Acme";
      p.seoDescription = "Breathable.";
      p.options.addAll(List.of("Size", "Colour"));
      p.variants.add(shop.variant("SHIRT", "39.00", "S", "White").withInventory("4006381333931", false, "CONTINUE", true, true, "4.25")
          .withWeight("0.5", "POUNDS").withImage("https://cdn.fake/shirt-white.png"));
      p.variants.add(shop.variant("SHIRT", "39.00", "M", "White").withInventory(null, true, "DENY", false, false, null)
          .withWeight("250.0", "GRAMS"));
      p.variants.add(shop.variant(null, "41.00", "L", "Sand").withWeight("3.0", "OUNCES"));
      p.variants.add(shop.variant(null, "41.00", "XL", "Sand").withWeight("1.2", "KILOGRAMS"));
      p.images.add(shop.image("https://cdn.fake/shirt-white.png", "White linen shirt"));
      p.metafields.add(shop.metafield("custom", "fabric", "single_line_text_field", "linen", "Fabric"));
      p.metafields.add(shop.metafield("acme", "care", "multi_line_text_field", "Wash cold", null));
    });
    shop.addProduct(p -> {
      p.handle = "gift-card";
      p.title = "Gift card";
      p.giftCard = true;
      p.options.add("Title");
      p.variants.add(shop.variant(null, "25.00", "Default Title").withInventory(null, false, "DENY", false, false, null)
          .withWeight("0.0", "KILOGRAMS"));
    });
  }

  private static final List<String> EXPECTED = List.of(
      "gift-card|Gift card|active|-|Thing|{}|-|-|-|- :: -|true|{}",
      "  -/-/- sku=- 25.00 grams=0 kg barcode=- taxable=false policy=deny tracker=- shipping=false cost=- image=-",
      "linen-shirt|Linen shirt|draft|Acme|Shirts|{summer,linen}|Size|Colour|Apparel & Accessories > Clothing > Shirts"
          + "|Linen shirt | Acme :: Breathable.|false|{\"acme.care (product.metafields.acme.care)\": \"Wash cold\","
          + " \"Fabric (product.metafields.custom.fabric)\": \"linen\"}",
      "  S/White/- sku=SHIRT 39.00 grams=226.796185 lb barcode=4006381333931 taxable=false policy=continue tracker=shopify"
          + " shipping=true cost=4.25 image=https://cdn.fake/shirt-white.png",
      "  M/White/- sku=SHIRT 39.00 grams=250 g barcode=- taxable=true policy=deny tracker=- shipping=false cost=- image=-",
      "  L/Sand/- sku=- 41.00 grams=85.048569375 oz barcode=- taxable=true policy=deny tracker=shopify shipping=true cost=- image=-",
      "  XL/Sand/- sku=- 41.00 grams=1200 kg barcode=- taxable=true policy=deny tracker=shopify shipping=true cost=- image=-");

  /** Each product as a line, each of its variants as an indented line, in handle and position order. */
  private List<String> stored() {
    List<String> lines = new ArrayList<>();
    jdbc.sql("""
        select p.id, p.handle || '|' || p.title || '|' || p.status || '|' || coalesce(p.vendor, '-') || '|'
               || coalesce(p.product_type, '-') || '|' || p.tags::text || '|' || coalesce(p.option1_name, '-') || '|'
               || coalesce(p.option2_name, '-') || '|' || coalesce(p.product_category, '-') || '|'
               || coalesce(p.seo_title, '-') || ' :: ' || coalesce(p.seo_description, '-') || '|'
               || coalesce(p.gift_card::text, '-') || '|' || p.extra::text
        from products p order by p.handle""").query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2))).list()
        .forEach(p -> {
          lines.add(p.getValue());
          lines.addAll(jdbc.sql("""
              select '  ' || coalesce(option1, '-') || '/' || coalesce(option2, '-') || '/' || coalesce(option3, '-')
                     || ' sku=' || coalesce(sku, '-') || ' ' || price || ' grams=' || coalesce(grams::text, '-')
                     || ' ' || coalesce(weight_unit, '-') || ' barcode=' || coalesce(barcode, '-')
                     || ' taxable=' || coalesce(taxable::text, '-') || ' policy=' || coalesce(inventory_policy, '-')
                     || ' tracker=' || coalesce(inventory_tracker, '-') || ' shipping=' || coalesce(requires_shipping::text, '-')
                     || ' cost=' || coalesce(cost_per_item::text, '-') || ' image=' || coalesce(image_src, '-')
              from product_variants where product_id = ? order by position""").param(p.getKey()).query(String.class).list());
        });
    return lines;
  }

  private void assertWhole(long products, long variants) {
    assertThat(count("select count(*) from products where deleted_at is null")).isEqualTo(products);
    assertThat(count("select count(*) from product_variants")).isEqualTo(variants);
    assertThat(count("select count(distinct shopify_id) from product_variants")).as("every variant has its own Shopify id")
        .isEqualTo(variants);
    long expected = shop.products().stream().mapToLong(p -> p.variants.size()).sum();
    assertThat(expected).isEqualTo(variants);
  }

  private long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }

  /** Our variant ids by product handle and option values. */
  private Map<String, Long> variantIds() {
    Map<String, Long> ids = new java.util.TreeMap<>();
    jdbc.sql("""
        select p.handle || ':' || coalesce(v.option1, '-') || '/' || coalesce(v.option2, '-'), v.id
        from product_variants v join products p on p.id = v.product_id""")
        .query(rs -> {
          ids.put(rs.getString(1), rs.getLong(2));
        });
    return ids;
  }

  private void importCsv(String csv) throws Exception {
    List<ParsedProduct> products = new ArrayList<>();
    try (ShopifyCsvReader reader = new ShopifyCsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)))) {
      for (var r = reader.next(); r.isPresent(); r = reader.next()) {
        assertThat(r.get().errors()).isEmpty();
        products.add(r.get().product());
      }
    }
    ProductUpserter.Outcome outcome = transactions.execute(status -> upserter.upsert(products));
    assertThat(outcome.errors()).isEmpty();
  }

  // ---- running a sync ----

  private long sync(boolean full, int pageSize) {
    UUID id = operations.create(OperationType.SHOPIFY_SYNC, SHOP, new JsonDocument("{\"shop\": \"fake.myshopify.com\"}")).id();
    env = TestActivityEnvironment.newInstance();
    SyncActivities wiring = new SyncActivities(repository, operations, transactions, tracker);
    ShopifySyncSettings settings = SyncActivities.settings(pageSize);
    try {
      if (full) {
        env.setActivityHeartbeatListener(ShopifyBulkSyncActivitiesImpl.BulkCheckpoint.class, at -> {});
        env.registerActivitiesImplementations(wiring.bulk(shop.settings(FakeShopify.TOKEN), settings));
        ShopifyBulkSyncActivities bulk = env.newActivityStub(ShopifyBulkSyncActivities.class);
        long products = bulk.syncAllProducts(new SyncProducts(id, SHOP)).products();
        bulk.removeMissingProducts(new ShopifyBulkSyncActivities.RemoveMissing(id));
        return products;
      }
      env.setActivityHeartbeatListener(ShopifyIncrementalSyncActivitiesImpl.Checkpoint.class, at -> {});
      env.registerActivitiesImplementations(wiring.incremental(shop.settings(FakeShopify.TOKEN), settings));
      return env.newActivityStub(ShopifyIncrementalSyncActivities.class).syncUpdatedProducts(new SyncProducts(id, SHOP)).products();
    } finally {
      // Ended either way, so that a failed sync does not hold the shop's one running sync for the next test.
      operations.finish(id, OperationStatus.COMPLETED, null);
      env.close();
      env = null;
    }
  }
}
