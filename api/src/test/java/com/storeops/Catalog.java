package com.storeops;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * What a catalogue holds, compared whole: its products, its variants and an MD5 over every variant's
 * {@code sku|handle|price}, sorted byte-wise — a lost, doubled or altered row changes at least one.
 */
public record Catalog(long products, long variants, String checksum) {

  public static final String HEADER = "Handle,Title,Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price,Status";

  /**
   * Writes a Shopify product CSV of {@code products} × {@code variantsEach} rows, handles
   * {@code <prefix><n>}, vendor {@code <prefix>vendor}; answers what it holds.
   */
  public static Catalog writeCsv(Path file, String prefix, int products, int variantsEach) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER + "\n");
      for (int p = 0; p < products; p++) {
        String handle = prefix + p;
        for (int v = 1; v <= variantsEach; v++) {
          String sku = handle + "-" + v;
          w.write(v == 1
              ? handle + ",Product " + p + "," + prefix + "vendor,Size,S1," + sku + "," + p % 40 + "," + price(p, v) + ",active\n"
              : handle + ",,,,S" + v + "," + sku + "," + v + "," + price(p, v) + ",\n");
        }
      }
    }
    return generated(prefix, products, variantsEach, BigDecimal.ZERO);
  }

  /** What {@link #writeCsv} holds once every price has had {@code added} added to it. */
  public static Catalog generated(String prefix, int products, int variantsEach, BigDecimal added) {
    List<String> lines = new ArrayList<>(products * variantsEach);
    for (int p = 0; p < products; p++) {
      for (int v = 1; v <= variantsEach; v++) {
        lines.add(prefix + p + "-" + v + "|" + prefix + p + "|" + price(p, v).add(added).toPlainString());
      }
    }
    return of(products, lines);
  }

  private static BigDecimal price(int product, int variant) {
    return BigDecimal.valueOf((product * 7919L + variant * 104_729L) % 99_000 + 100, 2);
  }

  /** A catalogue from its {@code sku|handle|price} lines, in any order. */
  public static Catalog of(long products, List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    Collections.sort(sorted); // UTF-16 order equals PostgreSQL's "C" collation for these ASCII lines
    return new Catalog(products, sorted.size(), md5(String.join("\n", sorted)));
  }

  /** What PostgreSQL holds for the live products whose handle is {@code LIKE handlePattern}. */
  public static Catalog stored(Connection c, String handlePattern) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        select (select count(*) from products where handle like ? and deleted_at is null),
               count(*), md5(coalesce(string_agg(line, E'\\n' order by line collate "C"), ''))
        from (select v.sku || '|' || p.handle || '|' || v.price as line
              from product_variants v join products p on p.id = v.product_id
              where p.handle like ? and p.deleted_at is null) lines""")) {
      ps.setString(1, handlePattern);
      ps.setString(2, handlePattern);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Catalog(rs.getLong(1), rs.getLong(2), rs.getString(3));
      }
    }
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
