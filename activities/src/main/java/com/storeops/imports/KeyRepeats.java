package com.storeops.imports;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The file-wide repeats of a file whose keys fit a bound, found in the worker's memory by the rules
 * {@link ImportConflicts#resolve} applies in PostgreSQL: staging every key there costs PostgreSQL
 * about 1 CPU s per 100 000 products. It holds at most {@code maxKeys} handles and SKUs, and
 * {@value #BYTES_PER_KEY} bytes of them per key on average; past either, or once its table grows
 * crowded ({@link KeyTable#crowded}), {@link #add} says no and the scan hands everything to
 * PostgreSQL. A key then takes 44 to 50 bytes of heap, under 16 MB for 300 000 keys
 * ({@code KeyRepeatsTest}); a HashMap of String to a record of the same measured 136 bytes a key.
 */
final class KeyRepeats {

  /** Key bytes allowed per key, on average: handles run 10–40 characters, SKUs fewer. */
  static final int BYTES_PER_KEY = 24;

  /** Further lines a repeated SKU's warning names; the rest it counts. */
  static final int LISTED = 10;

  /** A product whose rows also appear earlier in the file, at {@code firstLine}: it is refused. */
  record SplitProduct(String handle, long line, long firstLine) {}

  /** A SKU on several variants: reported at its first use, naming up to {@value #LISTED} further lines. */
  record RepeatedSku(String sku, long productLine, long line, List<Long> furtherLines, long occurrences) {}

  /** One occurrence of a key, as {@code import_keys} holds it. */
  interface Occurrence {
    void key(String kind, String key, long productLine, long line);
  }

  private static final byte HANDLE = 0;
  private static final byte SKU = 1;

  private final int maxKeys;
  private final long maxBytes;
  private final KeyTable table; // both kinds in one: no second table's slack
  private long bytes;

  KeyRepeats(int maxKeys) {
    this(maxKeys, KeyTable.PROBES_PER_KEY);
  }

  KeyRepeats(int maxKeys, int probesPerKey) {
    this.maxKeys = maxKeys;
    this.maxBytes = (long) maxKeys * BYTES_PER_KEY; // ImportSettings bounds maxKeys so that one array holds them
    this.table = new KeyTable(maxKeys, (int) (maxBytes + maxKeys), probesPerKey);
  }

  /**
   * Holds one product's keys, or none of them and answers false when they do not fit. Keys holding
   * a NUL are left out, as PostgreSQL would be sent none: the reader refuses their products anyway.
   */
  boolean add(ShopifyCsvReader.Keys product) {
    String handle = product.handle();
    if (handle == null || handle.indexOf('\u0000') >= 0) {
      return true; // refused on its own row already
    }
    byte[] handleBytes = handle.getBytes(StandardCharsets.UTF_8);
    List<byte[]> skuBytes = new ArrayList<>(product.skus().size());
    long size = handleBytes.length;
    long lastLine = product.line();
    for (ShopifyCsvReader.SkuAt sku : product.skus()) {
      byte[] b = sku.sku().indexOf('\u0000') < 0 ? sku.sku().getBytes(StandardCharsets.UTF_8) : null;
      skuBytes.add(b);
      size += b == null ? 0 : b.length;
      lastLine = Math.max(lastLine, sku.line());
    }
    if (table.size() + 1L + skuBytes.size() > maxKeys || bytes + size > maxBytes || lastLine > Integer.MAX_VALUE || table.crowded()) {
      return false;
    }
    int productLine = (int) product.line();
    table.add(HANDLE, handleBytes, productLine, productLine);
    for (int i = 0; i < skuBytes.size(); i++) {
      if (skuBytes.get(i) != null) {
        table.add(SKU, skuBytes.get(i), productLine, (int) product.skus().get(i).line());
      }
    }
    bytes += size;
    return true;
  }

  /** Every later occurrence of a handle, in file order. */
  void forEachSplitProduct(Consumer<SplitProduct> to) {
    for (int r = 0; r < table.repeats(); r++) {
      int e = table.repeatEntry(r);
      if (table.kind(e) == HANDLE) {
        to.accept(new SplitProduct(table.key(e), table.repeatLine(r), table.firstLine(e)));
      }
    }
  }

  /**
   * Every SKU used more than once, in the order of its first line. Counted in int arrays of a few
   * bytes per key, so that a file of many repeats needs no more than the table does.
   */
  void forEachRepeatedSku(Consumer<RepeatedSku> to) {
    int entries = table.entries();
    int[] further = new int[entries];
    for (int r = 0; r < table.repeats(); r++) {
      further[table.repeatEntry(r)]++;
    }
    int[] from = new int[entries + 1]; // where each entry's listed lines start in `listed`
    for (int e = 0; e < entries; e++) {
      from[e + 1] = from[e] + (table.kind(e) == SKU ? Math.min(further[e], LISTED) : 0);
    }
    int[] listed = new int[from[entries]];
    int[] filled = Arrays.copyOf(from, entries);
    for (int r = 0; r < table.repeats(); r++) {
      int e = table.repeatEntry(r);
      if (filled[e] < from[e + 1]) {
        listed[filled[e]++] = table.repeatLine(r);
      }
    }
    for (int e = 0; e < entries; e++) {
      if (from[e + 1] > from[e]) {
        List<Long> lines = new ArrayList<>(from[e + 1] - from[e]);
        for (int i = from[e]; i < from[e + 1]; i++) {
          lines.add((long) listed[i]);
        }
        to.accept(new RepeatedSku(table.key(e), table.firstProductLine(e), table.firstLine(e), lines, 1L + further[e]));
      }
    }
  }

  /** Every key held, each occurrence once: for PostgreSQL to go on from when the file is past the bound. */
  void forEach(Occurrence to) {
    for (int e = 0; e < table.entries(); e++) {
      to.key(kind(e), table.key(e), table.firstProductLine(e), table.firstLine(e));
    }
    for (int r = 0; r < table.repeats(); r++) {
      int e = table.repeatEntry(r);
      to.key(kind(e), table.key(e), table.repeatProductLine(r), table.repeatLine(r));
    }
  }

  boolean isEmpty() {
    return table.size() == 0;
  }

  /** Slots looked at beyond each key's own, per key placed. */
  double probesPerKey() {
    return table.probesPerKey();
  }

  /** The heap its arrays take, as allocated. */
  long bytes() {
    return table.bytes();
  }

  private String kind(int entry) {
    return table.kind(entry) == HANDLE ? "handle" : "sku";
  }
}
