package com.storeops.sync;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Writes catalogue changes back to Shopify, paced by the shop's cost bucket (batch updates use it). */
@ActivityInterface
public interface ShopifyPushActivities {

  /**
   * Sends the stored price, compare-at price and SKU of these variants to Shopify with
   * {@code productVariantsBulkUpdate}, one call per product. Variants Shopify does not know (no
   * Shopify id) are skipped and counted.
   */
  Pushed pushVariants(PushVariants request);

  /** {@code variantIds}: our ids (product_variants.id), a chunk at a time. */
  record PushVariants(String shop, List<Long> variantIds) {}

  record Pushed(int pushed, int skipped, List<String> errors) {}
}
