package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The queries are written whole; the cost the reader asks the bucket for counts on their page sizes. */
class ShopifyProductReaderTest {

  @Test
  void thePageQueryAsksForTheNestedPageSizesItsCostCountsOn() {
    assertThat(ShopifyProductReader.PAGE)
        .contains("variants(first: " + ShopifyProductReader.VARIANTS + ")")
        .contains("media(first: " + ShopifyProductReader.IMAGES + ")");
  }

  @Test
  void followUpQueriesAskForTheSizeTheirCostCountsOn() {
    assertThat(ShopifyProductReader.MORE_VARIANTS).contains("variants(first: " + ShopifyProductReader.MORE + ", after: $after)");
    assertThat(ShopifyProductReader.MORE_IMAGES).contains("media(first: " + ShopifyProductReader.MORE + ", after: $after)");
  }
}
