package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The warm-up reads a file the reader takes whole, in both header generations, and builds its COPY rows. */
class ImportWarmUpTest {

  private final ImportWarmUp warmUp = new ImportWarmUp(new ImportSettings(2000, 2, 5_000, 4_000_000, 300_000, 60_000));

  @Test
  void theRehearsalReadsEveryGeneratedProductWithoutAnError() {
    ImportWarmUp.Rehearsal done = warmUp.rehearse(3_600); // 4 rounds of 3 files of 300 products

    assertThat(done.errors()).isEmpty();
    assertThat(done.products()).isEqualTo(3_600);
    assertThat(done.rows()).isEqualTo(12 * (100 * 1 + 200 * 3));
    assertThat(done.copyBytes()).isGreaterThan(3_600L * 200);
  }

  @Test
  void theSampleHasTheShapesTheReaderBranchesOn() {
    for (ShopifyColumn.Generation generation : ShopifyColumn.Generation.values()) {
      List<ParsedProduct> products = read(SampleCsv.of(generation, ShopifyColumn.inOrder(generation), 3));

      assertThat(products).hasSize(3);
      assertThat(products.get(0).variants()).hasSize(1);
      assertThat(products.get(0).variants().get(0).options()).allMatch(o -> !o.hasValue());
      assertThat(products.get(1).variants()).hasSize(3);
      assertThat(products.get(2).variants()).hasSize(2);
      assertThat(products.get(2).images()).hasSize(3);
      assertThat(products.get(0).bodyHtml().value()).contains("\"soft\",").contains("\n");
      assertThat(products.get(0).extras().values()).containsKey("Fabric (product.metafields.custom.fabric)");
      assertThat(products.get(1).variants().get(0).grams().value()).hasToString("101.796185");
    }
  }

  @Test
  void theHandMadeSampleHasItsFewColumnsOnly() {
    List<ParsedProduct> products = read(SampleCsv.of(ShopifyColumn.Generation.LEGACY, SampleCsv.COMMON_COLUMNS, 3));

    assertThat(products).hasSize(3);
    assertThat(products.get(1).variants()).hasSize(3);
    assertThat(products.get(0).extras().values()).isEmpty();
    assertThat(products.get(0).seoTitle().present()).isFalse();
    assertThat(products.get(0).variants().get(0).costPerItem().present()).isFalse();
  }

  private static List<ParsedProduct> read(SampleCsv sample) {
    List<ParsedProduct> products = new ArrayList<>();
    try (ShopifyCsvReader reader = new ShopifyCsvReader(new StringReader(sample.text()))) {
      for (Optional<ShopifyCsvReader.Result> next = reader.next(); next.isPresent(); next = reader.next()) {
        assertThat(next.get().errors()).isEmpty();
        products.add(next.get().product());
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return products;
  }
}
