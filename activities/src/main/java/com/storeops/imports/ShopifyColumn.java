package com.storeops.imports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every standard column of Shopify's product CSV, with its name in both header generations: the
 * legacy export ({@code Handle, Body (HTML), Variant SKU, Variant Grams, Image Src, …}, whose later
 * files add Product Category, Option Linked To, Variant Weight Unit, Cost per item and Status) and
 * the current one ({@code Title, URL handle, Description, SKU, Weight value (grams), …}). Names match
 * ignoring case and repeated spaces. The declaration order is the legacy export's column order.
 *
 * <p>A column has a typed place in the catalogue, or — {@link #extra()} — is kept in the product's
 * or variant's {@code extra} jsonb under its legacy name. Columns that are not standard at all
 * (metafields, market prices, Google Shopping, anything newer) are {@link ExtraColumn}s.
 */
public enum ShopifyColumn {
  HANDLE(Level.PRODUCT, false, "Handle", "URL handle"),
  TITLE(Level.PRODUCT, false, "Title", "Title"),
  BODY_HTML(Level.PRODUCT, false, "Body (HTML)", "Description"),
  VENDOR(Level.PRODUCT, false, "Vendor", "Vendor"),
  PRODUCT_CATEGORY(Level.PRODUCT, false, "Product Category", "Product category"),
  // 2022–2023 exports carried "Custom Product Type" instead of "Type".
  PRODUCT_TYPE(Level.PRODUCT, false, "Type", "Type", "Custom Product Type"),
  TAGS(Level.PRODUCT, false, "Tags", "Tags"),
  PUBLISHED(Level.PRODUCT, false, "Published", "Published on online store"),
  OPTION1_NAME(Level.PRODUCT, false, "Option1 Name", "Option1 name"),
  OPTION1_VALUE(Level.VARIANT, false, "Option1 Value", "Option1 value"),
  OPTION1_LINKED_TO(Level.PRODUCT, true, "Option1 Linked To", "Option1 Linked To"),
  OPTION2_NAME(Level.PRODUCT, false, "Option2 Name", "Option2 name"),
  OPTION2_VALUE(Level.VARIANT, false, "Option2 Value", "Option2 value"),
  OPTION2_LINKED_TO(Level.PRODUCT, true, "Option2 Linked To", "Option2 Linked To"),
  OPTION3_NAME(Level.PRODUCT, false, "Option3 Name", "Option3 name"),
  OPTION3_VALUE(Level.VARIANT, false, "Option3 Value", "Option3 value"),
  OPTION3_LINKED_TO(Level.PRODUCT, true, "Option3 Linked To", "Option3 Linked To"),
  SKU(Level.VARIANT, false, "Variant SKU", "SKU"),
  GRAMS(Level.VARIANT, false, "Variant Grams", "Weight value (grams)"),
  INVENTORY_TRACKER(Level.VARIANT, false, "Variant Inventory Tracker", "Inventory tracker"),
  INVENTORY_QUANTITY(Level.VARIANT, false, "Variant Inventory Qty", "Inventory quantity"),
  // deny | continue in the legacy file, FALSE | TRUE in the current one; either is read from both.
  INVENTORY_POLICY(Level.VARIANT, false, "Variant Inventory Policy", "Continue selling when out of stock"),
  FULFILLMENT_SERVICE(Level.VARIANT, false, "Variant Fulfillment Service", "Fulfillment service"),
  PRICE(Level.VARIANT, false, "Variant Price", "Price"),
  COMPARE_AT_PRICE(Level.VARIANT, false, "Variant Compare At Price", "Compare-at price"),
  REQUIRES_SHIPPING(Level.VARIANT, false, "Variant Requires Shipping", "Requires shipping"),
  TAXABLE(Level.VARIANT, false, "Variant Taxable", "Charge tax"),
  BARCODE(Level.VARIANT, false, "Variant Barcode", "Barcode"),
  IMAGE_SRC(Level.IMAGE, false, "Image Src", "Product image URL"),
  IMAGE_POSITION(Level.IMAGE, false, "Image Position", "Image position"),
  IMAGE_ALT(Level.IMAGE, false, "Image Alt Text", "Image alt text"),
  GIFT_CARD(Level.PRODUCT, false, "Gift Card", "Gift card"),
  SEO_TITLE(Level.PRODUCT, false, "SEO Title", "SEO title"),
  SEO_DESCRIPTION(Level.PRODUCT, false, "SEO Description", "SEO description"),
  VARIANT_IMAGE(Level.VARIANT, false, "Variant Image", "Variant image URL"),
  WEIGHT_UNIT(Level.VARIANT, false, "Variant Weight Unit", "Weight unit for display"),
  TAX_CODE(Level.VARIANT, true, "Variant Tax Code", "Tax code"),
  COST_PER_ITEM(Level.VARIANT, false, "Cost per item", "Cost per item"),
  // Only the current generation has unit prices; a legacy export writes them under the same names.
  UNIT_PRICE_TOTAL_MEASURE(Level.VARIANT, true, "Unit price total measure", "Unit price total measure"),
  UNIT_PRICE_TOTAL_MEASURE_UNIT(Level.VARIANT, true, "Unit price total measure unit", "Unit price total measure unit"),
  UNIT_PRICE_BASE_MEASURE(Level.VARIANT, true, "Unit price base measure", "Unit price base measure"),
  UNIT_PRICE_BASE_MEASURE_UNIT(Level.VARIANT, true, "Unit price base measure unit", "Unit price base measure unit"),
  STATUS(Level.PRODUCT, false, "Status", "Status");

  /** Which part of the catalogue a column describes. */
  public enum Level { PRODUCT, VARIANT, IMAGE }

  /** The two header generations an export can write. */
  public enum Generation {
    LEGACY, CURRENT;

    public static Generation of(String name) {
      return Arrays.stream(values()).filter(g -> g.name().equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown header generation '" + name + "'; expected legacy or current"));
    }
  }

  /** The current export's column order (the legacy one is the declaration order). */
  private static final List<ShopifyColumn> CURRENT_ORDER = List.of(
      TITLE, HANDLE, BODY_HTML, VENDOR, PRODUCT_CATEGORY, PRODUCT_TYPE, TAGS, PUBLISHED, STATUS, SKU, BARCODE,
      OPTION1_NAME, OPTION1_VALUE, OPTION1_LINKED_TO, OPTION2_NAME, OPTION2_VALUE, OPTION2_LINKED_TO,
      OPTION3_NAME, OPTION3_VALUE, OPTION3_LINKED_TO, PRICE, COMPARE_AT_PRICE, COST_PER_ITEM, TAXABLE, TAX_CODE,
      UNIT_PRICE_TOTAL_MEASURE, UNIT_PRICE_TOTAL_MEASURE_UNIT, UNIT_PRICE_BASE_MEASURE, UNIT_PRICE_BASE_MEASURE_UNIT,
      INVENTORY_TRACKER, INVENTORY_QUANTITY, INVENTORY_POLICY, GRAMS, WEIGHT_UNIT, REQUIRES_SHIPPING,
      FULFILLMENT_SERVICE, IMAGE_SRC, IMAGE_POSITION, IMAGE_ALT, VARIANT_IMAGE, GIFT_CARD, SEO_TITLE, SEO_DESCRIPTION);

  private final Level level;
  private final boolean extra;
  private final List<String> names;

  ShopifyColumn(Level level, boolean extra, String... names) {
    this.level = level;
    this.extra = extra;
    this.names = List.of(names);
  }

  public Level level() {
    return level;
  }

  /** True when the column has no typed place and is kept in {@code extra} under {@link #displayName()}. */
  public boolean extra() {
    return extra;
  }

  /** The name used in error reports and as the extra key: the legacy one, which most users know. */
  public String displayName() {
    return names.get(0);
  }

  public String name(Generation generation) {
    return generation == Generation.LEGACY ? names.get(0) : names.get(1);
  }

  /** Every standard column in the generation's export order. */
  public static List<ShopifyColumn> inOrder(Generation generation) {
    return generation == Generation.LEGACY ? List.of(values()) : CURRENT_ORDER;
  }

  static Optional<ShopifyColumn> of(String header) {
    String normalized = normalize(header);
    return Arrays.stream(values()).filter(c -> c.names.stream().anyMatch(n -> normalize(n).equals(normalized))).findFirst();
  }

  boolean matches(String header) {
    String normalized = normalize(header);
    return names.stream().anyMatch(n -> normalize(n).equals(normalized));
  }

  static String normalize(String header) {
    return header.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
