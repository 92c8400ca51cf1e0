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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Streams a Shopify product CSV (either header generation) as products: consecutive rows sharing a
 * handle form one product. Holds one product's rows at a time — at most {@link Limits} of them — and
 * nothing of the file besides, so any file reads in the same bounded memory; what needs the whole
 * file — a SKU on two products, a product split over two places — is found by
 * {@link ImportConflicts} from {@link #nextKeys()}.
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

  /**
   * What one product may hold in memory. A product past either limit is skipped whole with an error,
   * its further rows read without being kept; a single row longer than {@code maxProductChars} —
   * almost always a quote never closed — refuses the file, as the parser cannot find where the
   * next row starts.
   *
   * @param maxProductRows STOREOPS_IMPORT_MAX_PRODUCT_ROWS
   * @param maxProductChars STOREOPS_IMPORT_MAX_PRODUCT_CHARS
   */
  public record Limits(int maxProductRows, int maxProductChars) {
    /** The defaults of application.yml, for readers of files known to be small (tests, tools). */
    public static final Limits DEFAULT = new Limits(5_000, 4_000_000);
  }

  private final Limits limits;
  private final Reader chars;
  private final CsvRecords records;
  private final Map<ShopifyColumn, Integer> columns;
  private final List<ExtraColumn> extraColumns;
  private final ParsedProduct.Extras noProductExtras;
  private final ParsedProduct.Extras noVariantExtras;
  private final List<String> ignoredColumns;
  private final List<String> headers;
  private final int width;
  private final boolean keysOnly;
  // Worked out once from the header, not per row: the cells that make a row a variant, and the
  // standard columns kept in extra, by level.
  private final int[] variantCells;
  private final StandardExtra[] productExtras;
  private final StandardExtra[] variantExtras;
  private Row lookahead;

  public ShopifyCsvReader(InputStream in) {
    this(decode(in), Limits.DEFAULT);
  }

  public ShopifyCsvReader(Reader chars) {
    this(chars, Limits.DEFAULT);
  }

  /** Reads the header from {@code chars}, which {@link #decode} made. */
  public ShopifyCsvReader(Reader chars, Limits limits) {
    this(chars, limits, false);
  }

  private ShopifyCsvReader(Reader chars, Limits limits, boolean keysOnly) {
    this.limits = limits;
    this.chars = chars;
    this.records = new CsvRecords(chars, 1, limits.maxProductChars());
    this.keysOnly = keysOnly;
    Row header = read();
    if (header == null || header.size() == 1 && header.values[0].isBlank()) {
      throw new ImportFileException("the file is empty");
    }
    this.width = header.size();
    this.headers = Arrays.stream(header.values).map(String::strip).toList();
    this.columns = new EnumMap<>(ShopifyColumn.class);
    this.extraColumns = new ArrayList<>();
    this.ignoredColumns = new ArrayList<>();
    Set<String> extraNames = new HashSet<>();
    for (int i = 0; i < width; i++) {
      String name = header.values[i];
      if (name.indexOf('\u0000') >= 0) {
        throw new ImportFileException("column " + (i + 1) + " of the header holds a NUL character (0x00), which cannot be stored");
      }
      Optional<ShopifyColumn> column = ShopifyColumn.of(name);
      if (column.isPresent() && !columns.containsKey(column.get())) {
        columns.put(column.get(), i);
      } else if (column.isEmpty() && !name.isBlank() && extraNames.add(name.strip())) {
        extraColumns.add(ExtraColumn.of(i, name));
      } else if (!name.isBlank()) {
        ignoredColumns.add(name.strip()); // a repeated header: the first one is read
      }
    }
    this.noProductExtras = new ParsedProduct.Extras(extraKeys(ShopifyColumn.Level.PRODUCT), Map.of());
    this.noVariantExtras = new ParsedProduct.Extras(extraKeys(ShopifyColumn.Level.VARIANT), Map.of());
    this.variantCells = IntStream.concat(
        columns.entrySet().stream().filter(c -> c.getKey().level() == ShopifyColumn.Level.VARIANT).mapToInt(Map.Entry::getValue),
        extraColumns.stream().filter(e -> e.placement() == ExtraColumn.Placement.VARIANT).mapToInt(ExtraColumn::index)).toArray();
    this.productExtras = standardExtras(ShopifyColumn.Level.PRODUCT);
    this.variantExtras = standardExtras(ShopifyColumn.Level.VARIANT);
    if (!columns.containsKey(ShopifyColumn.HANDLE) || !columns.containsKey(ShopifyColumn.TITLE)) {
      throw new ImportFileException(
          "not a Shopify product CSV: the header needs a Handle (or URL handle) and a Title column");
    }
    if (keysOnly) {
      boolean[] keys = new boolean[width];
      for (ShopifyColumn key : List.of(ShopifyColumn.HANDLE, ShopifyColumn.SKU)) {
        Integer index = columns.get(key);
        if (index != null) {
          keys[index] = true;
        }
      }
      records.keepOnly(keys);
    }
  }

  /**
   * A reader for {@link #nextKeys()} only: it builds no text for the cells of other columns, so the
   * scan's pass over the file costs little more than reading its characters.
   */
  public static ShopifyCsvReader keys(Reader chars, Limits limits) {
    return new ShopifyCsvReader(chars, limits, true);
  }

  private ShopifyCsvReader(ShopifyCsvReader header, Reader chars, long firstLine) {
    this.limits = header.limits;
    this.chars = chars;
    this.records = new CsvRecords(chars, firstLine, limits.maxProductChars());
    this.keysOnly = false;
    this.columns = header.columns;
    this.extraColumns = header.extraColumns;
    this.noProductExtras = header.noProductExtras;
    this.noVariantExtras = header.noVariantExtras;
    this.ignoredColumns = header.ignoredColumns;
    this.headers = header.headers;
    this.width = header.width;
    this.variantCells = header.variantCells;
    this.productExtras = header.productExtras;
    this.variantExtras = header.variantExtras;
  }

  /** A standard column kept in {@code extra}: its key and where it is in the file. */
  private record StandardExtra(String key, int index) {}

  private StandardExtra[] standardExtras(ShopifyColumn.Level level) {
    return columns.entrySet().stream().filter(c -> c.getKey().extra() && c.getKey().level() == level)
        .map(c -> new StandardExtra(c.getKey().displayName(), c.getValue())).toArray(StandardExtra[]::new);
  }

  /**
   * A reader for a stretch of the same file that starts on a product's first row at
   * {@code firstLine} — a chunk found by an earlier pass — with this reader's columns.
   */
  public ShopifyCsvReader chunk(Reader chars, long firstLine) {
    return new ShopifyCsvReader(this, chars, firstLine);
  }

  /** The file's characters: UTF-8, a BOM dropped, bad bytes as U+FFFD (reported per cell, so one bad row does not stop the file). */
  public static Reader decode(InputStream in) {
    try {
      return withoutBom(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The column's name as this file spells it (its generation's), for error reports; the legacy name when absent. */
  public String header(ShopifyColumn column) {
    Integer index = columns.get(column);
    return index == null ? column.displayName() : headers.get(index);
  }

  /** Columns the file has that storeops does not import (a header repeated), to report once. */
  public List<String> ignoredColumns() {
    return List.copyOf(ignoredColumns);
  }

  /** The keys this file's product or variant rows write into {@code extra}, in file order. */
  private List<String> extraKeys(ShopifyColumn.Level level) {
    List<String> keys = new ArrayList<>();
    columns.keySet().stream().filter(c -> c.extra() && c.level() == level).forEach(c -> keys.add(c.displayName()));
    extraColumns.stream().filter(e -> level == ShopifyColumn.Level.PRODUCT ? e.ofProduct() : e.ofVariant())
        .forEach(e -> keys.add(e.name()));
    return List.copyOf(keys);
  }

  /** The next product, or empty at the end of the file. */
  public Optional<Result> next() {
    if (keysOnly) {
      throw new IllegalStateException("a reader of keys reads no products");
    }
    Rows read = nextRows();
    List<Row> rows = read.kept();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row first = rows.get(0);
    String handle = first.text(ShopifyColumn.HANDLE);
    List<RowError> errors = new ArrayList<>();
    if (read.dropped()) {
      errors.add(new RowError(first.line, header(ShopifyColumn.HANDLE), handle, read.count() + " rows of " + read.chars()
          + " characters, more than one product may have (" + limits.maxProductRows() + " rows, STOREOPS_IMPORT_MAX_PRODUCT_ROWS; "
          + limits.maxProductChars() + " characters, STOREOPS_IMPORT_MAX_PRODUCT_CHARS); the product is skipped"));
      return Optional.of(new Result(handle, first.line, null, errors));
    }
    if (handle == null) {
      errors.add(new RowError(first.line, header(ShopifyColumn.HANDLE), null, "missing handle"));
      return Optional.of(new Result("", first.line, null, errors));
    }
    ParsedProduct product = new ProductRows(handle, rows, errors).build();
    return Optional.of(new Result(handle, first.line, errors.isEmpty() ? product : null, errors));
  }

  /**
   * A product's keys, read without parsing its values, for the file-wide checks and the chunk plan.
   *
   * @param position where the product's first row starts, in characters of {@link #decode}
   */
  public record Keys(String handle, long line, long position, List<SkuAt> skus) {
    /** About what the keys take to hold and to send, to bound a batch of them. */
    public long chars() {
      long chars = 64 + (handle == null ? 0 : handle.length());
      for (SkuAt sku : skus) {
        chars += 64 + sku.sku().length();
      }
      return chars;
    }
  }

  public record SkuAt(String sku, long line) {}

  /** The next product's handle and SKUs (a row without a handle is a product of its own), or empty at the end. */
  public Optional<Keys> nextKeys() {
    List<Row> rows = nextRows().kept();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<SkuAt> skus = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String sku = row.text(ShopifyColumn.SKU);
      if (sku != null) {
        skus.add(new SkuAt(sku, row.line));
      }
    }
    Row first = rows.get(0);
    return Optional.of(new Keys(first.text(ShopifyColumn.HANDLE), first.line, first.position, skus));
  }

  /**
   * A product's rows as far as they are kept, how many it has and their characters.
   *
   * @param dropped whether rows past the limits were read without being kept
   */
  private record Rows(List<Row> kept, long count, long chars, boolean dropped) {}

  /**
   * The rows of the next product: consecutive rows sharing a handle; a row without one stands alone.
   * Once the product passes its limits, its further rows are only counted.
   */
  private Rows nextRows() {
    Row first = lookahead != null ? lookahead : read();
    lookahead = null;
    if (first == null) {
      return new Rows(List.of(), 0, 0, false);
    }
    List<Row> rows = new ArrayList<>(4);
    rows.add(first);
    String handle = first.text(ShopifyColumn.HANDLE);
    long count = 1;
    long chars = first.chars();
    boolean dropped = false;
    if (handle != null) {
      for (Row row = read(); row != null; row = read()) {
        if (!handle.equals(row.text(ShopifyColumn.HANDLE))) {
          lookahead = row;
          break;
        }
        count++;
        chars += row.chars();
        dropped |= count > limits.maxProductRows() || chars > limits.maxProductChars();
        if (!dropped) {
          rows.add(row);
        }
      }
    }
    return new Rows(rows, count, chars, dropped);
  }

  @Override
  public void close() throws IOException {
    chars.close();
  }

  private Row read() {
    try {
      return records.next() ? new Row(records) : null;
    } catch (UncheckedIOException e) {
      throw new ImportFileException("not a readable CSV after line " + records.line() + ": " + e.getCause().getMessage());
    }
  }

  private static Reader withoutBom(Reader reader) throws IOException {
    PushbackReader pushback = new PushbackReader(reader, 1);
    int first = pushback.read();
    if (first != -1 && first != '\uFEFF') {
      pushback.unread(first);
    }
    return pushback;
  }

  /** One CSV record, the line it starts on and where in the file. */
  final class Row {
    final long line;
    final long position;
    final String[] values;
    private final long chars;
    private final boolean suspect;

    Row(CsvRecords record) {
      this.line = record.line();
      this.position = record.position();
      this.values = record.values();
      this.chars = record.chars();
      this.suspect = record.suspect();
    }

    /** The cell as a {@link Cell}: missing column, blank, or stripped text. */
    Cell<String> cell(ShopifyColumn column) {
      Integer index = columns.get(column);
      if (index == null) {
        return Cell.missing();
      }
      return Cell.of(value(index, column == ShopifyColumn.BODY_HTML));
    }

    /**
     * The cell's text, null when blank. HTML is kept verbatim — its line breaks and U+2028 are
     * content — every other cell is stripped.
     */
    String value(int index, boolean verbatim) {
      String value = index < values.length ? values[index] : "";
      if (value == null || value.isBlank()) {
        return null;
      }
      return verbatim ? value : value.strip();
    }

    String text(ShopifyColumn column) {
      return cell(column).value();
    }

    String header(ShopifyColumn column) {
      return ShopifyCsvReader.this.header(column);
    }

    boolean rightWidth() {
      return values.length == width;
    }

    int size() {
      return values.length;
    }

    /** The row's characters, separators and quotes aside. */
    long chars() {
      return chars;
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
        if (row.suspect) {
          checkEncoding(row);
        }
      }
      Row first = rows.get(0);
      CellParser cells = new CellParser(errors);
      // Shopify writes an option-less product as Option1 Name "Title", Option1 Value "Default Title".
      boolean defaultTitleOnly = "Title".equals(first.text(ShopifyColumn.OPTION1_NAME));
      List<Cell<String>> optionNames = List.of(
          defaultTitleOnly ? Cell.of(null) : first.cell(ShopifyColumn.OPTION1_NAME),
          first.cell(ShopifyColumn.OPTION2_NAME),
          first.cell(ShopifyColumn.OPTION3_NAME));
      List<ParsedProduct.Variant> variants = new ArrayList<>();
      List<ParsedProduct.Image> images = new ArrayList<>();
      Map<List<String>, Long> optionValues = new HashMap<>();
      for (Row row : rows) {
        if (isVariant(row)) {
          ParsedProduct.Variant variant = variant(row, row == first, cells, defaultTitleOnly);
          checkUnique(variant, optionValues);
          variants.add(variant);
        }
        String src = row.text(ShopifyColumn.IMAGE_SRC);
        if (src != null) {
          images.add(new ParsedProduct.Image(row.line, src,
              cells.positiveInteger(row, ShopifyColumn.IMAGE_POSITION), row.cell(ShopifyColumn.IMAGE_ALT)));
        }
      }
      return new ParsedProduct(
          handle, first.line, first.cell(ShopifyColumn.TITLE), first.cell(ShopifyColumn.BODY_HTML),
          first.cell(ShopifyColumn.VENDOR), first.cell(ShopifyColumn.PRODUCT_CATEGORY), first.cell(ShopifyColumn.PRODUCT_TYPE),
          cells.tags(first), cells.bool(first, ShopifyColumn.PUBLISHED), cells.status(first), optionNames,
          cells.bool(first, ShopifyColumn.GIFT_CARD), first.cell(ShopifyColumn.SEO_TITLE), first.cell(ShopifyColumn.SEO_DESCRIPTION),
          extras(first, noProductExtras, ShopifyColumn.Level.PRODUCT, true), variants, images);
    }

    private boolean isVariant(Row row) {
      for (int index : variantCells) {
        if (row.value(index, false) != null) {
          return true;
        }
      }
      return false;
    }

    private ParsedProduct.Variant variant(Row row, boolean firstRow, CellParser cells, boolean defaultTitleOnly) {
      Cell<String> option1 = defaultTitleOnly && "Default Title".equals(row.text(ShopifyColumn.OPTION1_VALUE))
          ? Cell.of(null) : row.cell(ShopifyColumn.OPTION1_VALUE);
      return new ParsedProduct.Variant(
          row.line, row.cell(ShopifyColumn.SKU),
          List.of(option1, row.cell(ShopifyColumn.OPTION2_VALUE), row.cell(ShopifyColumn.OPTION3_VALUE)),
          cells.money(row, ShopifyColumn.PRICE), cells.money(row, ShopifyColumn.COMPARE_AT_PRICE),
          cells.grams(row), cells.integer(row, ShopifyColumn.INVENTORY_QUANTITY), cells.weightUnit(row),
          row.cell(ShopifyColumn.BARCODE), cells.bool(row, ShopifyColumn.TAXABLE),
          cells.bool(row, ShopifyColumn.REQUIRES_SHIPPING), cells.money(row, ShopifyColumn.COST_PER_ITEM),
          cells.inventoryPolicy(row), row.cell(ShopifyColumn.INVENTORY_TRACKER), row.cell(ShopifyColumn.FULFILLMENT_SERVICE),
          row.cell(ShopifyColumn.VARIANT_IMAGE), extras(row, noVariantExtras, ShopifyColumn.Level.VARIANT, firstRow));
    }

    /** The row's non-blank cells of the level's extra columns, by key. */
    private ParsedProduct.Extras extras(Row row, ParsedProduct.Extras none, ShopifyColumn.Level level, boolean firstRow) {
      Map<String, String> values = new LinkedHashMap<>();
      for (StandardExtra c : level == ShopifyColumn.Level.PRODUCT ? productExtras : variantExtras) {
        String value = row.value(c.index(), false);
        if (value != null) {
          values.put(c.key(), value);
        }
      }
      for (ExtraColumn e : extraColumns) {
        boolean here = switch (e.placement()) {
          case PRODUCT -> level == ShopifyColumn.Level.PRODUCT;
          case VARIANT -> level == ShopifyColumn.Level.VARIANT;
          case FIRST_ROW_PRODUCT_OTHERS_VARIANT -> (level == ShopifyColumn.Level.PRODUCT) == firstRow;
        };
        String value = here ? row.value(e.index(), false) : null;
        if (value != null) {
          values.put(e.name(), value);
        }
      }
      return values.isEmpty() ? none : new ParsedProduct.Extras(none.columns(), values);
    }

    /** Shopify tells a product's variants apart by their option values: two alike are one too many. */
    private void checkUnique(ParsedProduct.Variant variant, Map<List<String>, Long> seen) {
      List<String> key = variant.options().stream().map(o -> o.value() == null ? "" : o.value()).toList();
      Long earlier = seen.putIfAbsent(key, variant.line());
      if (earlier != null) {
        errors.add(new RowError(variant.line(), header(ShopifyColumn.OPTION1_VALUE), variant.options().stream().map(Cell::value)
            .filter(java.util.Objects::nonNull).reduce((a, b) -> a + " / " + b).orElse(null),
            "the variant on line " + earlier + " has the same option values; each variant needs its own"));
      }
    }

    private void checkEncoding(Row row) {
      for (Map.Entry<ShopifyColumn, Integer> c : columns.entrySet()) {
        checkEncoding(row, c.getValue(), header(c.getKey()));
      }
      for (ExtraColumn e : extraColumns) {
        checkEncoding(row, e.index(), e.name());
      }
    }

    /** Invalid UTF-8 (decoded as U+FFFD), and NUL, which PostgreSQL stores in no text. */
    private void checkEncoding(Row row, int index, String column) {
      String value = index < row.size() ? row.values[index] : "";
      if (value.indexOf('\uFFFD') >= 0) {
        errors.add(new RowError(row.line, column, value, "invalid UTF-8"));
      }
      if (value.indexOf('\u0000') >= 0) {
        errors.add(new RowError(row.line, column, value.replace("\u0000", "\\0"),
            "holds a NUL character (0x00, shown as \\0), which cannot be stored"));
      }
    }
  }
}
