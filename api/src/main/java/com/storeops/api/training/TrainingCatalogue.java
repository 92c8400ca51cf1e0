package com.storeops.api.training;

import com.storeops.imports.ShopifyColumn;
import com.storeops.imports.ShopifyColumn.Generation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The file a training run imports: a Shopify product export (the legacy headers, every standard
 * column, a metafield and a market price column) shaped like real ones — HTML descriptions with
 * quotes, commas and line breaks, products with one to three variants, image-only rows, blank
 * cells — so that the import's code runs every branch a shop's file takes it down, not one loop.
 */
final class TrainingCatalogue {

  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();
  private static final List<String> EXTRAS = List.of("Color (product.metafields.shopify.color-pattern)", "Price / International");
  private static final String[] SIZES = {"S", "M", "L"};

  private TrainingCatalogue() {}

  /** Writes {@code products} products to {@code file}; answers the number of rows. */
  static long write(Path file, int products) throws IOException {
    List<ShopifyColumn> columns = ShopifyColumn.inOrder(Generation.LEGACY);
    List<String> header = new ArrayList<>(columns.stream().map(c -> c.name(Generation.LEGACY)).toList());
    header.addAll(EXTRAS);
    long rows = 0;
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CSVPrinter csv = new CSVPrinter(out, CSV)) {
      csv.printRecord(header);
      for (int p = 0; p < products; p++) {
        int variants = 1 + p % 3;
        int images = 1 + p % 2;
        for (int row = 0; row < Math.max(variants, images); row++) {
          List<String> cells = new ArrayList<>(header.size());
          for (ShopifyColumn c : columns) {
            cells.add(cell(c, p, row, variants, images));
          }
          cells.add(row == 0 && p % 4 == 0 ? "gid://shopify/Metaobject/" + (p % 7) : "");
          cells.add(row < variants ? price(p, row + 3) : "");
          csv.printRecord(cells);
          rows++;
        }
      }
    }
    return rows;
  }

  /** Row {@code row} of product {@code p}: product cells on the first, a variant while rows have one, an image while they have one. */
  private static String cell(ShopifyColumn c, int p, int row, int variants, int images) {
    String handle = "training-product-" + p;
    boolean first = row == 0;
    boolean variant = row < variants;
    boolean options = variants > 1;
    return switch (c.level()) {
      case PRODUCT -> first ? productCell(c, p, handle, options) : c == ShopifyColumn.HANDLE ? handle : "";
      case VARIANT -> variant ? variantCell(c, p, row, handle, options) : "";
      case IMAGE -> row < images ? imageCell(c, p, row, handle) : "";
    };
  }

  private static String productCell(ShopifyColumn c, int p, String handle, boolean options) {
    return switch (c) {
      case HANDLE -> handle;
      case TITLE -> "Training product " + p;
      case BODY_HTML -> "<p>A \"plain\" description of product " + p + ", with a comma,</p>\n<ul><li>and a list</li></ul>";
      case VENDOR -> "Vendor " + p % 40;
      case PRODUCT_CATEGORY -> p % 5 == 0 ? "Apparel & Accessories > Clothing" : "";
      case PRODUCT_TYPE -> "Type " + p % 12;
      case TAGS -> "training, tag" + p % 30;
      case PUBLISHED -> "TRUE";
      case GIFT_CARD -> "FALSE";
      case OPTION1_NAME -> options ? "Size" : "Title";
      case SEO_TITLE -> p % 3 == 0 ? "Product " + p + " | Training" : "";
      case SEO_DESCRIPTION -> p % 3 == 0 ? "Buy training product " + p : "";
      case STATUS -> p % 10 == 0 ? "draft" : "active";
      default -> "";
    };
  }

  private static String variantCell(ShopifyColumn c, int p, int row, String handle, boolean options) {
    return switch (c) {
      case OPTION1_VALUE -> options ? SIZES[row] : "Default Title";
      case SKU -> p % 9 == 0 ? "" : "TRAIN-" + p + "-" + row;
      case GRAMS -> String.valueOf(100 + row * 50 + p % 7);
      case INVENTORY_TRACKER -> "shopify";
      case INVENTORY_QUANTITY -> String.valueOf((p + row) % 25);
      case INVENTORY_POLICY -> p % 2 == 0 ? "deny" : "continue";
      case FULFILLMENT_SERVICE -> "manual";
      case PRICE -> price(p, row);
      case COMPARE_AT_PRICE -> p % 4 == 0 ? price(p, row + 10) : "";
      case REQUIRES_SHIPPING, TAXABLE -> "TRUE";
      case BARCODE -> p % 6 == 0 ? String.valueOf(4_000_000_000_000L + p * 3L + row) : "";
      case VARIANT_IMAGE -> options && row == 0 ? "https://cdn.example/" + handle + "-0.jpg" : "";
      case WEIGHT_UNIT -> "kg";
      case COST_PER_ITEM -> p % 3 == 0 ? (3 + p % 20) + ".25" : "";
      default -> "";
    };
  }

  private static String imageCell(ShopifyColumn c, int p, int row, String handle) {
    return switch (c) {
      case IMAGE_SRC -> "https://cdn.example/" + handle + "-" + row + ".jpg";
      case IMAGE_POSITION -> String.valueOf(row + 1);
      case IMAGE_ALT -> row == 0 ? "Training product " + p : "";
      default -> "";
    };
  }

  private static String price(int p, int step) {
    return (9 + p % 90 + step) + "." + (p % 2 == 0 ? "99" : "50");
  }
}
