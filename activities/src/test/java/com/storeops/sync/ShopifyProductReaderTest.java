package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The queries are written whole; the cost the reader asks the bucket for counts on their page sizes. */
class ShopifyProductReaderTest {

  @Test
  void thePageQueryAsksForTheNestedPageSizesItsCostCountsOn() {
    assertThat(ShopifyProductReader.PAGE)
        .contains("variants(first: " + ShopifyProductReader.VARIANTS + ")")
        .contains("media(first: " + ShopifyProductReader.IMAGES + ")")
        .contains("metafields(first: " + ShopifyProductReader.METAFIELDS + ")");
  }

  @Test
  void everyQueryStaysUnderShopifysSingleQueryLimitByItsCostRule() {
    assertThat(ShopifyProductReader.pageCost(new ShopifySyncSettings(null, null, null, null).syncPageSize()))
        .as("the default page: Shopify refuses a query asking more than 1 000 points").isLessThan(1_000);
    assertThat(ShopifyProductReader.MORE_VARIANTS_COST).isLessThan(1_000);
    assertThat(ShopifyProductReader.MORE_IMAGES_COST).isLessThan(1_000);
    assertThat(ShopifyProductReader.MORE_METAFIELDS_COST).isLessThan(1_000);
  }

  @Test
  void followUpQueriesAskForTheSizeTheirCostCountsOn() {
    assertThat(ShopifyProductReader.MORE_VARIANTS).contains("variants(first: " + ShopifyProductReader.MORE_VARIANT_PAGE + ", after: $after)");
    assertThat(ShopifyProductReader.MORE_IMAGES).contains("media(first: " + ShopifyProductReader.MORE + ", after: $after)");
    assertThat(ShopifyProductReader.MORE_METAFIELDS).contains("metafields(first: " + ShopifyProductReader.MORE + ", after: $after)");
  }
}
