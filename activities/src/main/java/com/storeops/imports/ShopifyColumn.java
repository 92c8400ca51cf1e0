package com.storeops.imports;

import java.util.List;
import java.util.Locale;

/**
 * The columns of Shopify's product CSV that storeops imports, with their names in both header
 * generations: the legacy export ({@code Handle, Body (HTML), Variant SKU, Image Src, …}) and the
 * current one ({@code URL handle, Description, SKU, Product image URL, …}). Names match ignoring
 * case and repeated spaces. Every other column is ignored and reported once.
 */
public enum ShopifyColumn {
  HANDLE("Handle", "URL handle"),
  TITLE("Title"),
  BODY_HTML("Body (HTML)", "Description"),
  VENDOR("Vendor"),
  // 2022–2023 exports carried "Custom Product Type" instead of "Type".
  PRODUCT_TYPE("Type", "Custom Product Type"),
  TAGS("Tags"),
  PUBLISHED("Published", "Published on online store"),
  STATUS("Status"),
  OPTION1_NAME("Option1 Name"),
  OPTION1_VALUE("Option1 Value"),
  OPTION2_NAME("Option2 Name"),
  OPTION2_VALUE("Option2 Value"),
  OPTION3_NAME("Option3 Name"),
  OPTION3_VALUE("Option3 Value"),
  SKU("Variant SKU", "SKU"),
  GRAMS("Variant Grams", "Weight value (grams)"),
  INVENTORY_QUANTITY("Variant Inventory Qty", "Inventory quantity"),
  PRICE("Variant Price", "Price"),
  COMPARE_AT_PRICE("Variant Compare At Price", "Compare-at price"),
  IMAGE_SRC("Image Src", "Product image URL"),
  IMAGE_POSITION("Image Position"),
  IMAGE_ALT("Image Alt Text");

  private final List<String> names;

  ShopifyColumn(String... names) {
    this.names = List.of(names);
  }

  /** The name used in error reports: the legacy one, which most users know. */
  public String displayName() {
    return names.get(0);
  }

  boolean matches(String header) {
    String normalized = normalize(header);
    return names.stream().anyMatch(n -> normalize(n).equals(normalized));
  }

  static String normalize(String header) {
    return header.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
