package com.storeops.imports;

import com.storeops.imports.ParsedProduct.Cell;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a Shopify product CSV (either header generation) as products: consecutive rows sharing a
 * handle form one product. Holds one product's rows at a time, plus the file's SKUs and handles to
 * catch the same SKU on two products and a product split over two places.
 *
 * <p>A product with any row error comes back without a product, only its errors: it is skipped
 * whole, never imported in half.
 */
public final class ShopifyCsvReader implements AutoCloseable {

  /** One product's worth of rows: the product, or the reasons it is skipped. */
  public record Result(String handle, long line, ParsedProduct product, List<RowError> errors) {
    public boolean valid() {
      return product != null;
    }
  }

  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final Map<ShopifyColumn, Integer> columns = new EnumMap<>(ShopifyColumn.class);
  private final List<String> ignoredColumns = new ArrayList<>();
  private final int width;
  private final Map<String, String> skuOwners = new HashMap<>();
  private final Map<String, Long> seenHandles = new HashMap<>();
  private Row lookahead;
  private long lastLine;

  public ShopifyCsvReader(InputStream in) {
    try {
      this.parser = CSVFormat.RFC4180.builder().get().parse(withoutBom(utf8(in)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.records = parser.iterator();
    Row header = read();
    if (header == null || header.record.size() == 1 && header.record.get(0).isBlank()) {
      throw new ImportFileException("the file is empty");
    }
    this.width = header.record.size();
    for (int i = 0; i < width; i++) {
      String name = header.record.get(i);
      Optional<ShopifyColumn> column = Arrays.stream(ShopifyColumn.values()).filter(c -> c.matches(name)).findFirst();
      if (column.isPresent() && !columns.containsKey(column.get())) {
        columns.put(column.get(), i);
      } else if (!name.isBlank()) {
        ignoredColumns.add(name.strip());
      }
    }
    if (!columns.containsKey(ShopifyColumn.HANDLE) || !columns.containsKey(ShopifyColumn.TITLE)) {
      throw new ImportFileException(
          "not a Shopify product CSV: the header needs a Handle (or URL handle) and a Title column");
    }
  }

  /** Columns the file has that storeops does not import, to report once. */
  public List<String> ignoredColumns() {
    return List.copyOf(ignoredColumns);
  }

  /** The next product, or empty at the end of the file. */
  public Optional<Result> next() {
    Row first = lookahead != null ? lookahead : read();
    lookahead = null;
    if (first == null) {
      return Optional.empty();
    }
    String handle = first.text(ShopifyColumn.HANDLE);
    List<RowError> errors = new ArrayList<>();
    List<Row> rows = new ArrayList<>(List.of(first));
    if (handle == null) {
      errors.add(new RowError(first.line, ShopifyColumn.HANDLE.displayName(), null, "missing handle"));
      return Optional.of(new Result("", first.line, null, errors));
    }
    for (Row row = read(); row != null; row = read()) {
      if (!handle.equals(row.text(ShopifyColumn.HANDLE))) {
        lookahead = row;
        break;
      }
      rows.add(row);
    }
    Long earlier = seenHandles.putIfAbsent(handle, first.line);
    if (earlier != null) {
      errors.add(new RowError(first.line, ShopifyColumn.HANDLE.displayName(), handle,
          "rows of this product also appear at line " + earlier + "; a product's rows must be consecutive"));
    }
    ParsedProduct product = new ProductRows(handle, rows, errors).build();
    return Optional.of(new Result(handle, first.line, errors.isEmpty() ? product : null, errors));
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  private Row read() {
    try {
      if (!records.hasNext()) {
        return null;
      }
      CSVRecord record = records.next();
      long start = lastLine + 1;
      lastLine = parser.getCurrentLineNumber();
      return new Row(start, record);
    } catch (UncheckedIOException e) {
      throw new ImportFileException("not a readable CSV after line " + lastLine + ": " + e.getCause().getMessage());
    }
  }

  /** Bad bytes become U+FFFD, reported per cell, so one bad row does not stop the file. */
  private static Reader utf8(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private static Reader withoutBom(Reader reader) throws IOException {
    PushbackReader pushback = new PushbackReader(reader, 1);
    int first = pushback.read();
    if (first != -1 && first != '\uFEFF') {
      pushback.unread(first);
    }
    return pushback;
  }

  /** One CSV record and the line it starts on. */
  final class Row {
    final long line;
    final CSVRecord record;

    Row(long line, CSVRecord record) {
      this.line = line;
      this.record = record;
    }

    /** The cell as a {@link Cell}: missing column, blank, or stripped text. */
    Cell<String> cell(ShopifyColumn column) {
      Integer index = columns.get(column);
      if (index == null) {
        return Cell.missing();
      }
      String value = index < record.size() ? record.get(index).strip() : "";
      return Cell.of(value.isEmpty() ? null : value);
    }

    String text(ShopifyColumn column) {
      return cell(column).value();
    }

    boolean rightWidth() {
      return record.size() == width;
    }

    int size() {
      return record.size();
    }
  }

  /** Turns one product's rows into a ParsedProduct, collecting every error on the way. */
  private final class ProductRows {
    private final String handle;
    private final List<Row> rows;
    private final List<RowError> errors;

    ProductRows(String handle, List<Row> rows, List<RowError> errors) {
      this.handle = handle;
      this.rows = rows;
      this.errors = errors;
    }

    ParsedProduct build() {
      for (Row row : rows) {
        if (!row.rightWidth()) {
          errors.add(new RowError(row.line, null, null, "expected " + width + " fields, found " + row.size()));
        }
        checkEncoding(row);
      }
      Row first = rows.get(0);
      CellParser cells = new CellParser(errors);
      boolean defaultTitleOnly = "Title".equals(first.text(ShopifyColumn.OPTION1_NAME));
      List<Cell<String>> optionNames = List.of(
          defaultTitleOnly ? Cell.of(null) : first.cell(ShopifyColumn.OPTION1_NAME),
          first.cell(ShopifyColumn.OPTION2_NAME),
          first.cell(ShopifyColumn.OPTION3_NAME));
      List<ParsedProduct.Variant> variants = new ArrayList<>();
      List<ParsedProduct.Image> images = new ArrayList<>();
      for (Row row : rows) {
        if (isVariant(row)) {
          variants.add(variant(row, cells, defaultTitleOnly));
        }
        String src = row.text(ShopifyColumn.IMAGE_SRC);
        if (src != null) {
          images.add(new ParsedProduct.Image(row.line, src,
              cells.positiveInteger(row, ShopifyColumn.IMAGE_POSITION), row.cell(ShopifyColumn.IMAGE_ALT)));
        }
      }
      return new ParsedProduct(
          handle, first.line, first.cell(ShopifyColumn.TITLE), first.cell(ShopifyColumn.BODY_HTML),
          first.cell(ShopifyColumn.VENDOR), first.cell(ShopifyColumn.PRODUCT_TYPE), cells.tags(first),
          cells.bool(first, ShopifyColumn.PUBLISHED), cells.status(first), optionNames, variants, images);
    }

    private boolean isVariant(Row row) {
      return Stream.of(ShopifyColumn.SKU, ShopifyColumn.PRICE, ShopifyColumn.COMPARE_AT_PRICE,
              ShopifyColumn.GRAMS, ShopifyColumn.INVENTORY_QUANTITY, ShopifyColumn.OPTION1_VALUE,
              ShopifyColumn.OPTION2_VALUE, ShopifyColumn.OPTION3_VALUE)
          .anyMatch(c -> row.cell(c).hasValue());
    }

    private ParsedProduct.Variant variant(Row row, CellParser cells, boolean defaultTitleOnly) {
      Cell<String> sku = row.cell(ShopifyColumn.SKU);
      if (sku.hasValue()) {
        String owner = skuOwners.putIfAbsent(sku.value(), handle);
        if (owner != null) {
          errors.add(new RowError(row.line, ShopifyColumn.SKU.displayName(), sku.value(),
              owner.equals(handle) ? "SKU repeated within this product" : "SKU also used by product " + owner));
        }
      }
      Cell<String> option1 = defaultTitleOnly && "Default Title".equals(row.text(ShopifyColumn.OPTION1_VALUE))
          ? Cell.of(null) : row.cell(ShopifyColumn.OPTION1_VALUE);
      return new ParsedProduct.Variant(
          row.line, sku, List.of(option1, row.cell(ShopifyColumn.OPTION2_VALUE), row.cell(ShopifyColumn.OPTION3_VALUE)),
          cells.money(row, ShopifyColumn.PRICE), cells.money(row, ShopifyColumn.COMPARE_AT_PRICE),
          cells.grams(row), cells.integer(row, ShopifyColumn.INVENTORY_QUANTITY));
    }

    private void checkEncoding(Row row) {
      for (Map.Entry<ShopifyColumn, Integer> c : columns.entrySet()) {
        String value = c.getValue() < row.size() ? row.record.get(c.getValue()) : "";
        if (value.indexOf('\uFFFD') >= 0) {
          errors.add(new RowError(row.line, c.getKey().displayName(), value, "invalid UTF-8"));
        }
      }
    }
  }
}
