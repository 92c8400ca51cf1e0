package com.storeops.imports;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One product read from the CSV: the rows sharing a handle. Every field is a {@link Cell}, which
 * keeps Shopify's overwrite rule visible: a column missing from the file keeps the stored value, a
 * blank cell blanks it.
 *
 * @param line the file line of the product's first row
 */
public record ParsedProduct(
    String handle,
    long line,
    Cell<String> title,
    Cell<String> bodyHtml,
    Cell<String> vendor,
    Cell<String> productCategory,
    Cell<String> productType,
    Cell<List<String>> tags,
    Cell<Boolean> published,
    Cell<String> status,
    List<Cell<String>> optionNames,
    Cell<Boolean> giftCard,
    Cell<String> seoTitle,
    Cell<String> seoDescription,
    Extras extras,
    List<Variant> variants,
    List<Image> images) {

  /** A variant row. {@code options} holds Option1..3 Value; grams keep the file's digits. */
  public record Variant(
      long line,
      Cell<String> sku,
      List<Cell<String>> options,
      Cell<BigDecimal> price,
      Cell<BigDecimal> compareAtPrice,
      Cell<BigDecimal> grams,
      Cell<Integer> inventoryQuantity,
      Cell<String> weightUnit,
      Cell<String> barcode,
      Cell<Boolean> taxable,
      Cell<Boolean> requiresShipping,
      Cell<BigDecimal> costPerItem,
      Cell<String> inventoryPolicy,
      Cell<String> inventoryTracker,
      Cell<String> fulfillmentService,
      Cell<String> imageSrc,
      Extras extras) {}

  public record Image(long line, String src, Cell<Integer> position, Cell<String> alt) {}

  /**
   * The cells kept in {@code extra}: {@code columns} are the file's columns of this kind (the same
   * list for every product; a stored key among them that has no value here is cleared), {@code values}
   * the non-blank cells.
   */
  public record Extras(List<String> columns, Map<String, String> values) {
    public static final Extras NONE = new Extras(List.of(), Map.of());
  }

  /**
   * A value from the file: {@link #missing()} when the file has no such column (keep what is
   * stored), present with a null value when the cell is blank (clear it), or present with a value.
   */
  public record Cell<T>(boolean present, T value) {

    private static final Cell<?> MISSING = new Cell<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Cell<T> missing() {
      return (Cell<T>) MISSING;
    }

    public static <T> Cell<T> of(T value) {
      return new Cell<>(true, value);
    }

    public boolean hasValue() {
      return present && value != null;
    }
  }
}
