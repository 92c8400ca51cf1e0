package com.storeops.sync;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A product as the shop has it, with every variant and image (follow-up pages included), in the
 * shape the CSV import stores: an option-less product has no option names and its variant no
 * option values (Shopify's "Title" / "Default Title"), weights are grams with the display unit
 * beside them, and metafields are keyed as the product CSV's columns are.
 *
 * @param optionNames Option1..3 Name, null where the product has none
 * @param extra the product's metafields by CSV header, {@code "<name> (product.metafields.<namespace>.<key>)"}
 * @param malformed what of the shop's data the catalogue cannot hold, null when it can hold all of
 *     it; a malformed product is that product's error, never written (its other fields may be empty)
 */
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
    String category,
    String seoTitle,
    String seoDescription,
    boolean giftCard,
    Map<String, String> extra,
    List<Variant> variants,
    List<Image> images,
    Malformed malformed) {

  /** Why a product cannot be stored: the field ({@code variant 123 price}), the value as Shopify sent it, the reason. */
  public record Malformed(String field, String value, String reason) {}

  /**
   * {@code options} holds the selected option values, in the product's option order (null where
   * none). {@code inventoryPolicy} is {@code deny} or {@code continue}; {@code inventoryTracker}
   * {@code shopify} when Shopify tracks the stock, else null; {@code weightUnit} g, kg, lb or oz.
   */
  public record Variant(long id, String sku, int position, BigDecimal price, BigDecimal compareAtPrice,
      Integer inventoryQuantity, List<String> options, String barcode, Boolean taxable, String inventoryPolicy,
      String inventoryTracker, Boolean requiresShipping, BigDecimal costPerItem, BigDecimal grams, String weightUnit,
      String imageSrc) {}

  public record Image(long id, String src, String alt, int position) {}

  /** Shopify's global ids end in the numeric id we keep: {@code gid://shopify/Product/123}. */
  static long numericId(String gid) {
    return Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1));
  }
}
