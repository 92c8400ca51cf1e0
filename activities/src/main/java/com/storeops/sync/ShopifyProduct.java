package com.storeops.sync;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A product as the shop has it, with every variant and image (follow-up pages included). */
public record ShopifyProduct(
    long id,
    String handle,
    String title,
    String bodyHtml,
    String vendor,
    String productType,
    List<String> tags,
    String status,
    Instant updatedAt,
    List<String> optionNames,
    List<Variant> variants,
    List<Image> images) {

  /** {@code options} holds the selected option values, in the product's option order. */
  public record Variant(long id, String sku, int position, BigDecimal price, BigDecimal compareAtPrice,
      Integer inventoryQuantity, List<String> options) {}

  public record Image(long id, String src, String alt, int position) {}

  /** Shopify's global ids end in the numeric id we keep: {@code gid://shopify/Product/123}. */
  static long numericId(String gid) {
    return Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1));
  }
}
