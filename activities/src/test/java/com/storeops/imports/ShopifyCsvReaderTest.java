package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.storeops.imports.ParsedProduct.Cell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShopifyCsvReaderTest {

  private static final String LEGACY = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,"
      + "Option2 Name,Option2 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,"
      + "Variant Compare At Price,Image Src,Image Position,Image Alt Text,Status\n";

  @Test
  void legacyExportWithVariantsAndImagesFormsOneProduct() {
    List<ShopifyCsvReader.Result> results = read(LEGACY
        + "tee,Tee,<p>Soft</p>,Acme,Shirts,\"summer, cotton\",TRUE,Size,S,Color,Red,TEE-S-R,200.0,5,19.99,24.00,https://cdn/a.png,1,Front,active\n"
        + "tee,,,,,,,,M,,Red,TEE-M-R,210,0,19.99,,https://cdn/b.png,2,Back,\n"
        + "tee,,,,,,,,,,,,,,,,https://cdn/c.png,3,,\n");

    assertThat(results).hasSize(1);
    ParsedProduct tee = results.get(0).product();
    assertThat(tee.handle()).isEqualTo("tee");
    assertThat(tee.title().value()).isEqualTo("Tee");
    assertThat(tee.tags().value()).containsExactly("summer", "cotton");
    assertThat(tee.published().value()).isTrue();
    assertThat(tee.status().value()).isEqualTo("active");
    assertThat(tee.optionNames()).extracting(Cell::value).containsExactly("Size", "Color", null);
    assertThat(tee.variants()).hasSize(2);
    ParsedProduct.Variant small = tee.variants().get(0);
    assertThat(small.sku().value()).isEqualTo("TEE-S-R");
    assertThat(small.price().value()).isEqualByComparingTo("19.99");
    assertThat(small.compareAtPrice().value()).isEqualByComparingTo("24.00");
    assertThat(small.grams().value()).isEqualByComparingTo("200").extracting(BigDecimal::toPlainString).isEqualTo("200.0");
    assertThat(small.inventoryQuantity().value()).isEqualTo(5);
    assertThat(tee.variants().get(1).options()).extracting(Cell::value).containsExactly("M", "Red", null);
    assertThat(tee.variants().get(1).compareAtPrice()).as("blank cell: present, cleared").isEqualTo(Cell.of(null));
    assertThat(tee.images()).extracting(ParsedProduct.Image::src).containsExactly("https://cdn/a.png", "https://cdn/b.png", "https://cdn/c.png");
    assertThat(tee.images()).extracting(ParsedProduct.Image::line).containsExactly(2L, 3L, 4L);
  }

  @Test
  void currentExportHeadersReadTheSameFields() {
    List<ShopifyCsvReader.Result> results = read(
        "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,"
            + "Option1 name,Option1 value,Option1 Linked To,Price,Compare-at price,Inventory quantity,"
            + "Weight value (grams),Product image URL,Image position,Image alt text\n"
            + "Mug,mug,<p>Big</p>,Acme,Kitchen,Mugs,,FALSE,draft,MUG-1,Title,Default Title,,9.50,,12,350,https://cdn/m.png,1,Mug\n");

    ParsedProduct mug = results.get(0).product();
    assertThat(mug.handle()).isEqualTo("mug");
    assertThat(mug.bodyHtml().value()).isEqualTo("<p>Big</p>");
    assertThat(mug.published().value()).isFalse();
    assertThat(mug.status().value()).isEqualTo("draft");
    assertThat(mug.optionNames().get(0)).as("Title / Default Title means no options").isEqualTo(Cell.of(null));
    assertThat(mug.variants().get(0).options().get(0)).isEqualTo(Cell.of(null));
    assertThat(mug.variants().get(0).price().value()).isEqualByComparingTo("9.50");
    assertThat(mug.variants().get(0).grams().value()).isEqualByComparingTo("350");
    assertThat(mug.images().get(0).alt().value()).isEqualTo("Mug");
  }

  @Test
  void everyColumnIsKeptAndOnlyARepeatedHeaderIsIgnored() {
    ShopifyCsvReader reader = new ShopifyCsvReader(bytes(
        "Handle,Title,Gift Card,SEO Title,Option1 Linked To,Fabric (product.metafields.custom.fabric),Title\n"
            + "h,T,FALSE,x,,Wool,again\n"));

    assertThat(reader.ignoredColumns()).containsExactly("Title");
    ParsedProduct h = reader.next().orElseThrow().product();
    assertThat(h.giftCard().value()).isFalse();
    assertThat(h.seoTitle().value()).isEqualTo("x");
    assertThat(h.extras().columns()).containsExactly("Option1 Linked To", "Fabric (product.metafields.custom.fabric)");
    assertThat(h.extras().values()).containsExactly(java.util.Map.entry("Fabric (product.metafields.custom.fabric)", "Wool"));
  }

  @Test
  void missingColumnKeepsAndBlankCellClears() {
    ParsedProduct noVendorColumn = read("Handle,Title\nh,T\n").get(0).product();
    ParsedProduct blankVendor = read("Handle,Title,Vendor\nh,T,\n").get(0).product();

    assertThat(noVendorColumn.vendor().present()).isFalse();
    assertThat(blankVendor.vendor()).isEqualTo(Cell.of(null));
  }

  @Test
  void bomCrlfQuotedNewlinesAndDoubledQuotesKeepLineNumbersExact() {
    List<ShopifyCsvReader.Result> results = read("\uFEFFHandle,Title,Body (HTML)\r\n"
        + "a,A,\"two\r\nlines and \"\"quotes\"\"\"\r\n"
        + "b,B,plain\r\n");

    assertThat(results).extracting(ShopifyCsvReader.Result::line).containsExactly(2L, 4L);
    assertThat(results.get(0).product().bodyHtml().value()).isEqualTo("two\r\nlines and \"quotes\"");
  }

  @Test
  void everyBadRowKindIsReportedWithItsLineColumnAndValueAndSkipsOnlyItsProduct() {
    List<ShopifyCsvReader.Result> results = read(LEGACY
        + "ok,OK,,,,,TRUE,,,,,OK-1,,,5.00,,,,,active\n"                  // 2
        + "price,P,,,,,TRUE,,,,,P-1,,,abc,,,,,active\n"                   // 3
        + "neg,N,,,,,TRUE,,,,,N-1,,,-1.00,,,,,active\n"                   // 4
        + "qty,Q,,,,,TRUE,,,,,Q-1,,1.5,1.00,,,,,active\n"                 // 5
        + "pub,B,,,,,maybe,,,,,B-1,,,1.00,,,,,active\n"                   // 6
        + ",NoHandle,,,,,TRUE,,,,,X-1,,,1.00,,,,,active\n"               // 7
        + "stat,S,,,,,TRUE,,,,,S-1,,,1.00,,,,,sold\n"                     // 8
        + "short,Short,,,\n"                                                // 9
        + "cents,C,,,,,TRUE,,,,,C-1,,,1.999,,,,,active\n");               // 10

    assertThat(results).filteredOn(ShopifyCsvReader.Result::valid).extracting(ShopifyCsvReader.Result::handle)
        .containsExactly("ok");
    assertThat(errors(results)).containsExactly(
        new RowError(3, "Variant Price", "abc", "not a price"),
        new RowError(4, "Variant Price", "-1.00", "must not be negative"),
        new RowError(5, "Variant Inventory Qty", "1.5", "not a whole number"),
        new RowError(6, "Published", "maybe", "must be TRUE or FALSE"),
        new RowError(7, "Handle", null, "missing handle"),
        new RowError(8, "Status", "sold", "unknown status; expected active, draft, archived or unlisted"),
        new RowError(9, null, null, "expected 20 fields, found 5"),
        new RowError(10, "Variant Price", "1.999", "has more than 2 decimal places"));
  }

  @Test
  void invalidUtf8IsReportedForItsRowOnly() {
    byte[] head = "Handle,Title\ngood,Good\nbad,".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(head);
    file.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
    file.writeBytes("\nafter,After\n".getBytes(StandardCharsets.UTF_8));

    List<ShopifyCsvReader.Result> results = read(file.toByteArray());

    assertThat(results).extracting(ShopifyCsvReader.Result::valid).containsExactly(true, false, true);
    assertThat(results.get(1).errors()).singleElement()
        .satisfies(e -> assertThat(e.line()).isEqualTo(3))
        .satisfies(e -> assertThat(e.column()).isEqualTo("Title"))
        .satisfies(e -> assertThat(e.message()).isEqualTo("invalid UTF-8"));
  }

  @Test
  void keysAreReadWithoutParsingValuesAndGroupTheSameRowsAsProducts() {
    String csv = "Handle,Title,Variant SKU,Variant Price\na,A,A-1,bad\na,,A-2,1.00\n,NoHandle,X,1.00\nb,B,,\n";
    ShopifyCsvReader reader = new ShopifyCsvReader(bytes(csv));
    List<ShopifyCsvReader.Keys> keys = new ArrayList<>();
    for (var k = reader.nextKeys(); k.isPresent(); k = reader.nextKeys()) {
      keys.add(k.get());
    }

    assertThat(keys).containsExactly(
        new ShopifyCsvReader.Keys("a", 2, csv.indexOf("a,A,"),
            List.of(new ShopifyCsvReader.SkuAt("A-1", 2), new ShopifyCsvReader.SkuAt("A-2", 3))),
        new ShopifyCsvReader.Keys(null, 4, csv.indexOf(",NoHandle"), List.of(new ShopifyCsvReader.SkuAt("X", 4))),
        new ShopifyCsvReader.Keys("b", 5, csv.indexOf("b,B"), List.of()));
    assertThat(read(csv)).extracting(ShopifyCsvReader.Result::line).as("the same products, one by one").containsExactly(2L, 4L, 5L);
  }

  @Test
  void aChunkReadFromItsPositionGivesTheSameProductsAndLinesAsTheWholeFile() throws Exception {
    String csv = "\uFEFFHandle,Title,Body (HTML)\r\na,A,\"two\r\nlines\"\r\nb,B,é\r\nc,C,\"x\"\r\n";
    ShopifyCsvReader whole = new ShopifyCsvReader(bytes(csv));
    List<ShopifyCsvReader.Keys> keys = new ArrayList<>();
    for (var k = whole.nextKeys(); k.isPresent(); k = whole.nextKeys()) {
      keys.add(k.get());
    }
    long from = keys.get(0).position();
    long to = keys.get(2).position();

    java.io.Reader chars = ShopifyCsvReader.decode(bytes(csv));
    BoundedReader head = new BoundedReader(chars, keys.get(0).position());
    ShopifyCsvReader header = new ShopifyCsvReader(head);
    head.drain();
    BoundedReader.skip(chars, from - keys.get(0).position());
    ShopifyCsvReader chunk = header.chunk(new BoundedReader(chars, to - from), keys.get(0).line());

    assertThat(chunk.next().orElseThrow().product().bodyHtml().value()).isEqualTo("two\r\nlines");
    ShopifyCsvReader.Result b = chunk.next().orElseThrow();
    assertThat(b.line()).as("lines counted from the chunk's first line, quoted newlines included").isEqualTo(4);
    assertThat(b.product().bodyHtml().value()).isEqualTo("é");
    assertThat(chunk.next()).as("the chunk ends where the next one starts").isEmpty();
    ShopifyCsvReader rest = header.chunk(chars, keys.get(2).line());
    assertThat(rest.next().orElseThrow().handle()).isEqualTo("c");
  }

  @Test
  void everyValueShopifyWritesIsAcceptedAsWritten() {
    List<ShopifyCsvReader.Result> results = read("Handle,Title,Published,Status,Option1 Name,Option1 Value,Option1 Linked To,"
        + "Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Weight Unit,"
        + "Variant Price,Variant Compare At Price,Variant Taxable,Variant Requires Shipping,Variant Inventory Policy,"
        + "Gift Card,Image Src,Price / International\n"
        + "tee,Tee,true,Active,Size,S,,Color,Red,Fit,Slim,SKU,226.796185,LB,25,19.99,True,FALSE,Continue,false,https://a,30\n" // 2
        + "tee,,,,,M,,,Red,,Slim,SKU,\"\",lb,25.5,\"\",false,true,deny,,https://b,\n"                                        // 3
        + "tee,,,,,,,,,,,,,,,,,,,,https://c,\n"                                                                                  // 4
        + "card,Card,FALSE,DRAFT,Title,Default Title,,,,,,SKU,0,g,10.00,,FALSE,FALSE,deny,TRUE,,");                             // 5, no newline

    assertThat(errors(results)).isEmpty();
    ParsedProduct tee = results.get(0).product();
    assertThat(tee.published().value()).isTrue();
    assertThat(tee.status().value()).isEqualTo("active");
    assertThat(tee.optionNames()).extracting(Cell::value).containsExactly("Size", "Color", "Fit");
    assertThat(tee.variants()).as("an image-only row is no variant").hasSize(2);
    assertThat(tee.images()).hasSize(3);
    ParsedProduct.Variant small = tee.variants().get(0);
    assertThat(small.options()).extracting(Cell::value).containsExactly("S", "Red", "Slim");
    assertThat(small.grams().value().toPlainString()).isEqualTo("226.796185");
    assertThat(small.weightUnit().value()).isEqualTo("lb");
    assertThat(small.price().value()).isEqualByComparingTo("25");
    assertThat(small.compareAtPrice().value()).as("below the price, as Shopify allows").isEqualByComparingTo("19.99");
    assertThat(small.taxable().value()).isTrue();
    assertThat(small.requiresShipping().value()).isFalse();
    assertThat(small.inventoryPolicy().value()).isEqualTo("continue");
    assertThat(small.extras().values()).containsExactly(java.util.Map.entry("Price / International", "30"));
    ParsedProduct.Variant medium = tee.variants().get(1);
    assertThat(medium.grams()).as("a blank written as \"\" clears").isEqualTo(Cell.of(null));
    assertThat(medium.compareAtPrice()).isEqualTo(Cell.of(null));
    assertThat(medium.extras().values()).isEmpty();
    assertThat(medium.extras().columns()).containsExactly("Price / International");
    assertThat(tee.extras().columns()).containsExactly("Option1 Linked To");
    ParsedProduct card = results.get(1).product();
    assertThat(results.get(1).line()).isEqualTo(5);
    assertThat(card.giftCard().value()).isTrue();
    assertThat(card.status().value()).isEqualTo("draft");
    assertThat(card.variants().get(0).sku().value()).as("the same SKU as another product's").isEqualTo("SKU");
  }

  @Test
  void crLfAndLineSeparatorInsideQuotedHtmlAreKeptVerbatimAndCountedAsShopifyDoes() {
    String html = "<p>one</p>\r\n<p>two</p>\r<ul>\n<li>a\u2028b</li></ul> ";
    List<ShopifyCsvReader.Result> results = read("Handle,Title,Body (HTML)\n"
        + "a,A,\"" + html + "\"\n"
        + "b,B,x");

    assertThat(results.get(0).product().bodyHtml().value()).isEqualTo(html);
    assertThat(results).extracting(ShopifyCsvReader.Result::line).as("CR, LF and CRLF each end a line; U+2028 does not")
        .containsExactly(2L, 6L);
  }

  @Test
  void strictWhereShopifyIsWithTheFilesOwnColumnNames() {
    List<ShopifyCsvReader.Result> results = read("Title,URL handle,Option1 name,Option1 value,Price,Weight unit for display\n"
        + "Twin,twin,Color,Red,5.00,kg\n"     // 2
        + ",twin,,Red,6.00,kg\n"              // 3
        + "Comma,comma,,,\"12,5\",kg\n"      // 4
        + "Stone,stone,,,1.00,stone\n");      // 5

    assertThat(errors(results)).containsExactly(
        new RowError(3, "Option1 value", "Red", "the variant on line 2 has the same option values; each variant needs its own"),
        new RowError(4, "Price", "12,5", "not a price"),
        new RowError(5, "Weight unit for display", "stone", "unknown weight unit; expected g, kg, lb or oz"));
  }

  @Test
  void fileLevelProblemsStopBeforeAnyProduct() {
    assertThatThrownBy(() -> new ShopifyCsvReader(bytes(""))).isInstanceOf(ImportFileException.class).hasMessage("the file is empty");
    assertThatThrownBy(() -> new ShopifyCsvReader(bytes("Name,Price\nx,1\n")))
        .isInstanceOf(ImportFileException.class).hasMessageContaining("needs a Handle");
    assertThatThrownBy(() -> new ShopifyCsvReader(new ByteArrayInputStream(new byte[] {0x50, 0x4b, 0x03, 0x04, 0x14, 0x00})))
        .isInstanceOf(ImportFileException.class);
    assertThatThrownBy(() -> read("Handle,Title\na,\"never closed\n"))
        .isInstanceOf(ImportFileException.class).hasMessageContaining("not a readable CSV");
  }

  /**
   * A quote opened and never closed makes the rest of the file one cell. The reader refuses the
   * file once that record passes its limit, naming the line the quote opened on, instead of
   * buffering the file into the heap.
   */
  @Test
  void anUnterminatedQuoteIsAFileErrorNamingItsLineWithoutReadingTheRestOfTheFile() {
    CountingFile file = new CountingFile("Handle,Title\na,A\nb,\"opens here\n", "c,C,some text after the quote\n", 50_000_000);
    ShopifyCsvReader reader = new ShopifyCsvReader(file);

    assertThatThrownBy(() -> {
      while (reader.next().isPresent()) {
        // read to the refusal
      }
    }).isInstanceOf(ImportFileException.class).hasMessageContaining("quote").hasMessageContaining("line 3");
    assertThat(file.served).as("characters read before the refusal: the row limit, not the file").isLessThan(5_000_000);
  }

  /** One product's rows are held together: past the limit the product is its own error, read on without being kept. */
  @Test
  void aProductWithMoreRowsThanTheLimitIsSkippedWithItsErrorAndTheNextOneStillReads() {
    StringBuilder csv = new StringBuilder("Handle,Title,Variant SKU\nbig,Big,B-0\n");
    for (int i = 1; i < 6_000; i++) {
      csv.append("big,,B-").append(i).append('\n');
    }
    csv.append("small,Small,S-1\n");

    List<ShopifyCsvReader.Result> results = read(csv.toString());

    assertThat(results).hasSize(2);
    assertThat(results.get(0).valid()).isFalse();
    assertThat(results.get(0).errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.column()).isEqualTo("Handle");
      assertThat(e.message()).contains("6000 rows").contains("5000");
    });
    assertThat(results.get(1).valid()).isTrue();
    assertThat(results.get(1).line()).isEqualTo(6_002);
  }

  /** PostgreSQL stores no NUL in text: such a cell is its row's error, not a chunk the database refuses on every retry. */
  @Test
  void aNulCharacterIsReportedForItsCellAndSkipsOnlyItsProduct() {
    List<ShopifyCsvReader.Result> results = read("Handle,Title,Variant SKU\na,A\u0000B,A-1\nb,B,B\u0000-1\nc,C,C-1\n");

    assertThat(results).extracting(ShopifyCsvReader.Result::valid).containsExactly(false, false, true);
    assertThat(errors(results)).extracting(RowError::line, RowError::column).containsExactly(tuple(2L, "Title"), tuple(3L, "Variant SKU"));
    assertThat(errors(results)).allSatisfy(e -> {
      assertThat(e.message()).contains("NUL");
      assertThat(e.value()).doesNotContain("\u0000");
    });
  }

  /** A file of {@code head}, then {@code row} repeated to {@code size} characters, made as it is read; counts what it served. */
  static final class CountingFile extends java.io.Reader {
    private final String head;
    private final String row;
    private final long size;
    long served;

    CountingFile(String head, String row, long size) {
      this.head = head;
      this.row = row;
      this.size = size;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (served >= size) {
        return -1;
      }
      int n = 0;
      while (n < length && served < size) {
        buffer[offset + n++] = served < head.length() ? head.charAt((int) served) : row.charAt((int) ((served - head.length()) % row.length()));
        served++;
      }
      return n;
    }

    @Override
    public void close() {}
  }

  private static List<RowError> errors(List<ShopifyCsvReader.Result> results) {
    return results.stream().flatMap(r -> r.errors().stream()).toList();
  }

  private static List<ShopifyCsvReader.Result> read(String csv) {
    return read(csv.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ShopifyCsvReader.Result> read(byte[] csv) {
    ShopifyCsvReader reader = new ShopifyCsvReader(new ByteArrayInputStream(csv));
    List<ShopifyCsvReader.Result> results = new ArrayList<>();
    for (var r = reader.next(); r.isPresent(); r = reader.next()) {
      results.add(r.get());
    }
    return results;
  }

  private static ByteArrayInputStream bytes(String csv) {
    return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
  }
}
