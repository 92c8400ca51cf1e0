package com.storeops.imports;

import java.util.Locale;

/**
 * A column that is not one of {@link ShopifyColumn}'s: kept as text in a jsonb {@code extra} under
 * its header, so that an import drops nothing and an export writes it back. Where it belongs is read
 * from Shopify's naming: variant metafields and market prices are per variant; product metafields,
 * Google Shopping and market inclusion per product. A column Shopify has not told us about is kept
 * the way it sits in the file: its cell on a product's first row with the product, its cells on
 * the product's further variant rows with those variants.
 */
public record ExtraColumn(int index, String name, Placement placement) {

  public enum Placement { PRODUCT, VARIANT, FIRST_ROW_PRODUCT_OTHERS_VARIANT }

  static ExtraColumn of(int index, String header) {
    String name = header.strip();
    String n = name.toLowerCase(Locale.ROOT);
    Placement placement;
    if (n.contains("(variant.metafields.") || n.startsWith("price / ") || n.startsWith("compare at price / ")
        || n.startsWith("compare-at price / ")) {
      placement = Placement.VARIANT;
    } else if (n.contains("(product.metafields.") || n.startsWith("google shopping /") || n.startsWith("included / ")) {
      placement = Placement.PRODUCT;
    } else {
      placement = Placement.FIRST_ROW_PRODUCT_OTHERS_VARIANT;
    }
    return new ExtraColumn(index, name, placement);
  }

  boolean ofProduct() {
    return placement != Placement.VARIANT;
  }

  boolean ofVariant() {
    return placement != Placement.PRODUCT;
  }
}
