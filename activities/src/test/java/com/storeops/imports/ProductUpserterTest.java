package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The upsert rules on a real PostgreSQL: what a re-import, an edit and a blank cell do. */
@SpringBootTest
class ProductUpserterTest {

  private static final String HEADER = "Handle,Title,Vendor,Tags,Published,Option1 Name,Option1 Value,Variant SKU,"
      + "Variant Price,Variant Inventory Qty,Image Src,Image Position,Status\n";

  @Autowired PlatformTransactionManager transactions;
  @Autowired ProductUpserter upserter;
  @Autowired JdbcClient jdbc;

  @Test
  void reimportingTheSameFileChangesNothing() throws Exception {
    String handle = "tee-" + UUID.randomUUID();
    String csv = HEADER
        + handle + ",Tee,Acme,\"a, b\",TRUE,Size,S," + handle + "-S,19.99,5,https://cdn/" + handle + ".png,1,active\n"
        + handle + ",,,,,,M," + handle + "-M,21.00,3,,,\n";
    importCsv(csv);
    Map<String, Object> before = snapshot(handle);

    ProductUpserter.Outcome again = importCsv(csv);

    assertThat(again.errors()).isEmpty();
    assertThat(snapshot(handle)).isEqualTo(before);
    assertThat(count("select count(*) from product_variants v join products p on p.id = v.product_id where p.handle = ?", handle)).isEqualTo(2);
  }

  @Test
  void anEditedFileUpdatesOnlyWhatChanged() throws Exception {
    String handle = "mug-" + UUID.randomUUID();
    importCsv(HEADER + handle + ",Mug,Acme,,TRUE,Title,Default Title," + handle + ",9.50,4,,,active\n");

    importCsv(HEADER + handle + ",Big Mug,Acme,,TRUE,Title,Default Title," + handle + ",11.00,4,,,draft\n");

    assertThat(jdbc.sql("select title || '|' || status from products where handle = ?").param(handle).query(String.class).single())
        .isEqualTo("Big Mug|draft");
    assertThat(jdbc.sql("select price::text from product_variants where sku = ?").param(handle).query(String.class).single())
        .isEqualTo("11.00");
  }

  @Test
  void missingColumnKeepsAndBlankCellClears() throws Exception {
    String handle = "cap-" + UUID.randomUUID();
    importCsv("Handle,Title,Vendor,Body (HTML)\n" + handle + ",Cap,Acme,<p>Nice</p>\n");

    importCsv("Handle,Title,Body (HTML)\n" + handle + ",Cap,\n");

    assertThat(jdbc.sql("select coalesce(vendor, 'NULL') || '|' || coalesce(body_html, 'NULL') from products where handle = ?")
        .param(handle).query(String.class).single())
        .isEqualTo("Acme|NULL");
  }

  @Test
  void variantsAreMatchedByTheirOptionValuesAndImagesByUrl() throws Exception {
    String handle = "bag-" + UUID.randomUUID();
    String header = "Handle,Title,Option1 Name,Option1 Value,Variant Price,Image Src,Image Alt Text,Tags\n";
    importCsv(header + handle + ",Bag,Size,S,5.00,https://cdn/" + handle + ".png,Front,\"x, y\"\n"
        + handle + ",,,L,6.00,,,\n");

    importCsv(header + handle + ",Bag,Size,S,5.50,https://cdn/" + handle + ".png,Side,\n"
        + handle + ",,,L,6.00,,,\n");

    assertThat(jdbc.sql("select string_agg(option1 || '=' || price::text, ',' order by position) from product_variants v"
        + " join products p on p.id = v.product_id where p.handle = ?").param(handle).query(String.class).single())
        .isEqualTo("S=5.50,L=6.00");
    assertThat(jdbc.sql("select count(*) || ':' || max(alt_text) from product_images i join products p on p.id = i.product_id"
        + " where p.handle = ?").param(handle).query(String.class).single()).isEqualTo("1:Side");
    assertThat(jdbc.sql("select cardinality(tags) from products where handle = ?").param(handle).query(Integer.class).single())
        .as("a blank Tags cell clears the tags").isZero();
  }

  @Test
  void aSoftDeletedProductComesBackWhenImportedAgain() throws Exception {
    String handle = "gone-" + UUID.randomUUID();
    importCsv("Handle,Title\n" + handle + ",Gone\n");
    jdbc.sql("update products set deleted_at = now() where handle = ?").param(handle).update();

    importCsv("Handle,Title\n" + handle + ",Gone\n");

    assertThat(jdbc.sql("select deleted_at is null from products where handle = ?").param(handle).query(Boolean.class).single()).isTrue();
  }

  @Test
  void aNewProductWithoutATitleIsRefusedWithItsLine() throws Exception {
    String handle = "untitled-" + UUID.randomUUID();

    ProductUpserter.Outcome outcome = importCsv("Handle,Title,Vendor\n" + handle + ",,Acme\n");

    assertThat(outcome.written()).isZero();
    assertThat(outcome.errors()).containsExactly(new RowError(2, "Title", null, "a new product needs a title"));
    assertThat(count("select count(*) from products where handle = ?", handle)).isZero();
  }

  @Test
  void aSkuOnSeveralVariantsIsStoredOnEachAndExtrasFollowTheOverwriteRule() throws Exception {
    String h = "dup-" + UUID.randomUUID();
    String fabric = "Fabric (product.metafields.custom.fabric)";
    importCsv("Handle,Title,Option1 Name,Option1 Value,Variant SKU," + fabric + ",Price / EU\n"
        + h + ",Dup,Size,S,SAME,Wool,10\n"
        + h + ",,,M,SAME,,12\n");
    assertThat(count("select count(*) from product_variants v join products p on p.id = v.product_id"
        + " where p.handle = ? and v.sku = 'SAME'", h)).isEqualTo(2);

    importCsv("Handle,Title,Option1 Name,Option1 Value,Price / EU\n" + h + ",Dup,Size,S,\n");

    assertThat(extras(h)).as("missing column keeps, blank cell removes its key, other variants untouched")
        .isEqualTo("{\"" + fabric + "\": \"Wool\"}|S={}|M={\"Price / EU\": \"12\"}");

    importCsv("Handle,Title," + fabric + "\n" + h + ",Dup,\n");

    assertThat(extras(h)).isEqualTo("{}|S={}|M={\"Price / EU\": \"12\"}");
  }

  private String extras(String handle) {
    return jdbc.sql("select p.extra::text || '|' || string_agg(v.option1 || '=' || v.extra::text, '|' order by v.position)"
        + " from products p join product_variants v on v.product_id = p.id where p.handle = ? group by p.id")
        .param(handle).query(String.class).single();
  }

  private ProductUpserter.Outcome importCsv(String csv) throws Exception {
    ShopifyCsvReader reader = new ShopifyCsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    List<ParsedProduct> products = new ArrayList<>();
    for (var r = reader.next(); r.isPresent(); r = reader.next()) {
      assertThat(r.get().errors()).isEmpty();
      products.add(r.get().product());
    }
    return new TransactionTemplate(transactions).execute(status -> upserter.upsert(products));
  }

  private Map<String, Object> snapshot(String handle) {
    return Map.of(
        "products", jdbc.sql("select row_to_json(p)::text from products p where handle = ?").param(handle).query(String.class).list(),
        "variants", jdbc.sql("select row_to_json(v)::text from product_variants v join products p on p.id = v.product_id where p.handle = ? order by v.id")
            .param(handle).query(String.class).list(),
        "images", jdbc.sql("select row_to_json(i)::text from product_images i join products p on p.id = i.product_id where p.handle = ? order by i.id")
            .param(handle).query(String.class).list());
  }

  private long count(String sql, String handle) {
    return jdbc.sql(sql).param(handle).query(Long.class).single();
  }
}
