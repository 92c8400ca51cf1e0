package com.storeops.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.imports.ShopifyColumn.Generation;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The export's paging and layout on a real PostgreSQL. */
@SpringBootTest
class CatalogCsvExporterTest {

  @Autowired CatalogCsvExporter exporter;
  @Autowired JdbcClient jdbc;

  @Test
  void everyProductIsWrittenOnceAcrossPageBoundariesInIdOrderWithItsRowsTogether() throws Exception {
    String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    int products = CatalogCsvExporter.PAGE_PRODUCTS * 2 + 7;
    jdbc.sql("insert into products (handle, title) select :p || i, 'P' || i from generate_series(1, :n) i")
        .param("p", prefix).param("n", products).update();
    jdbc.sql("""
        insert into product_variants (product_id, position, option1, price)
        select p.id, k, 'V' || k, 1.00 * k from products p, generate_series(1, 2) k where p.handle like :p || '%'""")
        .param("p", prefix).update();
    jdbc.sql("update products set deleted_at = now() where handle = :h").param("h", prefix + "3").update();
    List<Long> pages = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    CatalogCsvExporter.Written written = exporter.write(out, Generation.CURRENT, pages::add);

    List<CSVRecord> records = CSVFormat.RFC4180.builder().get()
        .parse(new StringReader(out.toString(StandardCharsets.UTF_8))).getRecords();
    int handle = records.get(0).toList().indexOf("URL handle");
    int option = records.get(0).toList().indexOf("Option1 value");
    List<String> mine = records.stream().skip(1).filter(r -> r.get(handle).startsWith(prefix))
        .map(r -> r.get(handle).substring(prefix.length()) + ":" + r.get(option)).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= products; i++) {
      if (i != 3) {
        expected.add(i + ":V1");
        expected.add(i + ":V2");
      }
    }
    assertThat(mine).as("soft-deleted product left out, two rows per product, in id order").isEqualTo(expected);
    assertThat(written.rows()).isEqualTo(records.size() - 1);
    assertThat(pages).as("pages of at most PAGE_PRODUCTS").allMatch(n -> n <= CatalogCsvExporter.PAGE_PRODUCTS).hasSizeGreaterThanOrEqualTo(3);
    assertThat(pages.stream().mapToLong(Long::longValue).sum()).isEqualTo(written.products());
  }
}
