package com.storeops.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated Shopify product CSV shaped like a real export, for {@link ImportWarmUp}: every
 * standard column of the generation in its export order plus a product metafield and a market
 * price, or a hand-made file's few columns. A product is, in turn, option-less with one image; three sizes with two images; two
 * colours with a third, image-only row. Bodies are quoted HTML holding commas, quotes and a
 * newline; grams have decimals, as Shopify writes converted pounds; some cells are blank.
 */
record SampleCsv(String text, int rows) {

  /** A hand-made file's columns: the ones most shops fill, in the legacy names. */
  static final List<ShopifyColumn> COMMON_COLUMNS = List.of(ShopifyColumn.HANDLE, ShopifyColumn.TITLE,
      ShopifyColumn.BODY_HTML, ShopifyColumn.VENDOR, ShopifyColumn.PRODUCT_TYPE, ShopifyColumn.TAGS, ShopifyColumn.PUBLISHED,
      ShopifyColumn.OPTION1_NAME, ShopifyColumn.OPTION1_VALUE, ShopifyColumn.SKU, ShopifyColumn.GRAMS,
      ShopifyColumn.INVENTORY_QUANTITY, ShopifyColumn.PRICE, ShopifyColumn.COMPARE_AT_PRICE, ShopifyColumn.IMAGE_SRC,
      ShopifyColumn.IMAGE_POSITION, ShopifyColumn.STATUS);

  private static final String METAFIELD = "Fabric (product.metafields.custom.fabric)";
  private static final String MARKET_PRICE = "Price / International";

  /** {@code products} products in {@code columns} named as {@code generation} names them; all the standard columns get a metafield and a market price too. */
  static SampleCsv of(ShopifyColumn.Generation generation, List<ShopifyColumn> columns, int products) {
    boolean extras = columns.size() == ShopifyColumn.values().length;
    StringBuilder csv = new StringBuilder(products * 700);
    List<String> header = new ArrayList<>(columns.stream().map(c -> c.name(generation)).toList());
    if (extras) {
      header.add(METAFIELD);
      header.add(MARKET_PRICE);
    }
    line(csv, header);
    int rows = 0;
    for (int p = 0; p < products; p++) {
      int shape = p % 3;
      int lines = shape == 0 ? 1 : 3;
      for (int r = 0; r < lines; r++) {
        List<String> cells = new ArrayList<>(header.size());
        for (ShopifyColumn column : columns) {
          cells.add(cell(column, generation, p, shape, r));
        }
        if (extras) {
          cells.add(r == 0 ? "Cotton " + p % 7 : "");
          cells.add(shape == 2 && r == 2 ? "" : (12 + p % 50) + ".50");
        }
        line(csv, cells);
        rows++;
      }
    }
    return new SampleCsv(csv.toString(), rows);
  }

  /** Characters of the header line, its newline included. */
  int headerChars() {
    return text.indexOf('\n') + 1;
  }

  /** Row {@code r} of product {@code p}: the first row carries the product, a shape-2 third row only an image. */
  private static String cell(ShopifyColumn column, ShopifyColumn.Generation generation, int p, int shape, int r) {
    boolean first = r == 0;
    boolean imageOnly = shape == 2 && r == 2;
    boolean legacy = generation == ShopifyColumn.Generation.LEGACY;
    String handle = "warm-up-" + generation.name().toLowerCase() + "-" + p;
    return switch (column) {
      case HANDLE -> handle;
      case TITLE -> first ? "Warm-up product " + p : "";
      case BODY_HTML -> first ? "<p>A \"soft\", warm product,\nnumber " + p + "</p>" : "";
      case VENDOR -> first ? "Vendor " + p % 40 : "";
      case PRODUCT_CATEGORY -> first ? "Apparel & Accessories > Clothing" : "";
      case PRODUCT_TYPE -> first ? "Shirts" : "";
      case TAGS -> first ? "warm, tag" + p % 90 : "";
      case PUBLISHED -> first ? (p % 5 == 0 ? "FALSE" : "TRUE") : "";
      case OPTION1_NAME -> first ? (shape == 0 ? "Title" : shape == 1 ? "Size" : "Color") : "";
      case OPTION1_VALUE -> imageOnly ? "" : shape == 0 ? "Default Title" : shape == 1 ? "SML".substring(r, r + 1) : r == 0 ? "Red" : "Blue";
      case OPTION2_NAME -> first && shape == 2 ? "Size" : "";
      case OPTION2_VALUE -> shape == 2 && !imageOnly ? "M" : "";
      case SKU -> imageOnly ? "" : handle + "-" + r;
      case GRAMS -> imageOnly ? "" : (100 + p % 400) + ".796185";
      case INVENTORY_TRACKER -> imageOnly ? "" : "shopify";
      case INVENTORY_QUANTITY -> imageOnly ? "" : String.valueOf(p % 30);
      case INVENTORY_POLICY -> imageOnly ? "" : legacy ? "deny" : "FALSE";
      case FULFILLMENT_SERVICE -> imageOnly ? "" : "manual";
      case PRICE -> imageOnly ? "" : (10 + p % 90) + ".99";
      case COMPARE_AT_PRICE -> imageOnly || p % 2 == 0 ? "" : (20 + p % 90) + ".00";
      case REQUIRES_SHIPPING, TAXABLE -> imageOnly ? "" : "TRUE";
      case BARCODE -> imageOnly || p % 4 != 0 ? "" : String.valueOf(4_000_000_000L + p);
      case IMAGE_SRC -> shape == 1 && r == 2 ? "" : "https://cdn.shopify.com/s/files/1/" + handle + "-" + r + ".jpg";
      case IMAGE_POSITION -> shape == 1 && r == 2 ? "" : String.valueOf(r + 1);
      case IMAGE_ALT -> first ? "Warm-up product " + p : "";
      case GIFT_CARD -> first ? "FALSE" : "";
      case SEO_TITLE, SEO_DESCRIPTION -> first && p % 3 == 0 ? "Warm-up " + p : "";
      case VARIANT_IMAGE -> imageOnly || shape == 0 ? "" : "https://cdn.shopify.com/s/files/1/" + handle + "-v.jpg";
      case WEIGHT_UNIT -> imageOnly ? "" : p % 2 == 0 ? "kg" : "lb";
      case COST_PER_ITEM -> imageOnly ? "" : "4.25";
      case STATUS -> first ? (p % 7 == 0 ? "draft" : "active") : "";
      default -> "";
    };
  }

  private static void line(StringBuilder csv, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      String cell = cells.get(i);
      if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0) {
        csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        csv.append(cell);
      }
    }
    csv.append('\n');
  }
}
