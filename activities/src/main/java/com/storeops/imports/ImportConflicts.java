package com.storeops.imports;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The checks that need the whole file — a product whose rows are split over two places, a SKU on
 * several variants. For a file whose keys fit the worker's bound ({@code keysInMemory}) the scan
 * finds the repeats in memory ({@link KeyRepeats}) and {@link #write} stores them; past it, the scan
 * streams every product's keys into {@code import_keys}, one query per rule finds the repeats, so a
 * file of millions of products costs the worker no more than the bound. Either way the loads read
 * back only what was found. A split product: the first occurrence wins and every later one is
 * refused whole, with the line of the repeat. A repeated SKU refuses nothing (Shopify allows it):
 * it is reported once.
 *
 * <p>Each scan attempt stages its keys apart (an attempt Temporal gave up on may still be writing
 * its own), and the conflicts are written once, by the attempt that writes the chunk plan, in the
 * plan's transaction.
 */
@Component
public class ImportConflicts {

  /** Characters of keys sent by one COPY: the text of a batch stays small whatever the file. */
  static final int COPY_CHARS = 4_000_000;
  static final int WRITE_ROWS = 5_000;

  private final DataSource dataSource;
  private final JdbcClient jdbc;

  public ImportConflicts(DataSource dataSource, JdbcClient jdbc) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
  }

  /** Forgets one scan attempt's keys. */
  public void forget(UUID operationId, int attempt) {
    jdbc.sql("delete from import_keys where operation_id = ? and attempt = ?").param(operationId).param(attempt).update();
  }

  /** Forgets every key and conflict of the import: at its end, the products stay. */
  public void reset(UUID operationId) {
    jdbc.sql("delete from import_keys where operation_id = ?").param(operationId).update();
    jdbc.sql("delete from import_conflicts where operation_id = ?").param(operationId).update();
  }

  /**
   * Adds a batch of products' keys of one scan attempt, with one COPY. Keys holding a NUL are left
   * out: PostgreSQL stores no NUL in text, and the reader refuses their products anyway.
   */
  public void record(UUID operationId, int attempt, List<ShopifyCsvReader.Keys> products) {
    StringBuilder csv = new StringBuilder(products.size() * 64);
    String prefix = operationId + "," + attempt + ","; // the same on every line
    for (ShopifyCsvReader.Keys p : products) {
      if (p.handle() == null || p.handle().indexOf('\u0000') >= 0) {
        continue; // refused on its own row already
      }
      line(csv, prefix, "handle", p.handle(), p.handle(), p.line(), p.line());
      for (ShopifyCsvReader.SkuAt sku : p.skus()) {
        if (sku.sku().indexOf('\u0000') < 0) {
          line(csv, prefix, "sku", sku.sku(), "", p.line(), sku.line()); // no check reads a SKU's handle
        }
      }
    }
    copy(csv);
  }

  /**
   * Adds the keys held in memory to one scan attempt's, for PostgreSQL to go on from once the file
   * is past what the worker may hold; in COPYs of a batch's size, so the text sent stays small.
   */
  void stage(UUID operationId, int attempt, KeyRepeats held, Runnable heartbeat) {
    StringBuilder csv = new StringBuilder();
    String prefix = operationId + "," + attempt + ",";
    held.forEach((kind, key, productLine, line) -> {
      line(csv, prefix, kind, key, kind.equals("handle") ? key : "", productLine, line);
      if (csv.length() >= COPY_CHARS) {
        copy(csv);
        csv.setLength(0);
        heartbeat.run(); // a bound raised far makes this seconds of COPY
      }
    });
    copy(csv);
  }

  private void copy(StringBuilder csv) {
    if (csv.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "copy import_keys (operation_id, attempt, kind, key, handle, product_line, line) from stdin (format csv)",
          new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("could not stage the import's keys: " + e.getMessage(), e);
    }
  }

  /**
   * Turns one attempt's keys into conflicts. A handle whose rows sit in two places refuses every
   * later product involved. A SKU on several variants is Shopify's right: one warning per SKU,
   * attached to the product that uses it first, names the other lines.
   */
  public void resolve(UUID operationId, int attempt, String skuColumn, String handleColumn) {
    // One pass with a window, no self-join: on a freshly filled unlogged table the planner has no
    // statistics, and a join of the keys with their own aggregate was planned as a nested loop
    // re-aggregating per row (300 s for 20 000 products).
    jdbc.sql("""
        insert into import_conflicts (operation_id, product_line, line, field, value, message)
        select :op, k.product_line, k.line, :handleColumn, k.key,
               'rows of this product also appear at line ' || k.first_line || '; a product''s rows must be consecutive'
        from (select product_line, line, key, min(line) over (partition by key) as first_line
              from import_keys where operation_id = :op and attempt = :attempt and kind = 'handle') k
        where k.line > k.first_line""")
        .param("op", operationId).param("attempt", attempt).param("handleColumn", handleColumn)
        .update();
    jdbc.sql("""
        insert into import_conflicts (operation_id, product_line, line, field, value, message, warning)
        select :op, (array_agg(product_line order by line))[1], min(line), :skuColumn, key,
               'warning: SKU also on line' || case when count(*) > 2 then 's ' else ' ' end
                 || array_to_string((array_agg(line order by line))[2 : 11], ', ')
                 || case when count(*) > 11 then ' and ' || (count(*) - 11) || ' more' else '' end
                 || '; kept, as Shopify allows a SKU on several variants',
               true
        from import_keys
        where operation_id = :op and attempt = :attempt and kind = 'sku'
        group by key having count(*) > 1""")
        .param("op", operationId).param("attempt", attempt).param("skuColumn", skuColumn)
        .update();
  }

  /**
   * Writes the conflicts of the repeats found in memory, the same rows {@link #resolve} writes, in
   * the caller's transaction (the plan's): a statement per {@value #WRITE_ROWS} rows, so that a file
   * of many repeats holds no more than that many rows' text at a time. The messages are those of
   * {@link #resolve} word for word; ImportConflictsTest compares the rows both write.
   */
  void write(UUID operationId, KeyRepeats repeats, String skuColumn, String handleColumn) {
    Rows rows = new Rows(operationId);
    repeats.forEachSplitProduct(s -> rows.add(s.line(), s.line(), handleColumn, s.handle(),
        "rows of this product also appear at line " + s.firstLine() + "; a product's rows must be consecutive", false));
    repeats.forEachRepeatedSku(s -> rows.add(s.productLine(), s.line(), skuColumn, s.sku(),
        "warning: SKU also on line" + (s.occurrences() > 2 ? "s " : " ")
            + s.furtherLines().stream().map(String::valueOf).collect(Collectors.joining(", "))
            + (s.occurrences() > 11 ? " and " + (s.occurrences() - 11) + " more" : "")
            + "; kept, as Shopify allows a SKU on several variants",
        true));
    rows.flush();
  }

  /** Conflict rows on their way to an insert, by column. */
  private final class Rows {
    private final UUID operationId;
    private final List<Long> productLines = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();
    private final List<String> fields = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final List<Boolean> warnings = new ArrayList<>();

    Rows(UUID operationId) {
      this.operationId = operationId;
    }

    void add(long productLine, long line, String field, String value, String message, boolean warning) {
      productLines.add(productLine);
      lines.add(line);
      fields.add(field);
      values.add(value);
      messages.add(message);
      warnings.add(warning);
      if (lines.size() == WRITE_ROWS) {
        flush();
      }
    }

    void flush() {
      if (lines.isEmpty()) {
        return;
      }
      jdbc.sql("""
          insert into import_conflicts (operation_id, product_line, line, field, value, message, warning)
          select ?, * from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::boolean[])""")
          .param(operationId).param(productLines.toArray(Long[]::new)).param(lines.toArray(Long[]::new))
          .param(fields.toArray(String[]::new)).param(values.toArray(String[]::new))
          .param(messages.toArray(String[]::new)).param(warnings.toArray(Boolean[]::new))
          .update();
      for (List<?> column : List.of(productLines, lines, fields, values, messages, warnings)) {
        column.clear();
      }
    }
  }

  /** What the scan found for one product: refusals skip it, warnings are only reported. */
  public record Found(List<RowError> refusals, List<RowError> warnings) {}

  /** The scan's findings, by the line of the product's first row. */
  public Map<Long, Found> byProductLine(UUID operationId) {
    return byProductLine(operationId, 0, null);
  }

  /**
   * The findings for the products whose first row is in {@code [fromLine, toLine)} (to the end when
   * {@code toLine} is null): one chunk's, so that a load holds one chunk's findings at a time.
   */
  public Map<Long, Found> byProductLine(UUID operationId, long fromLine, Long toLine) {
    Map<Long, Found> found = new HashMap<>();
    jdbc.sql("""
            select product_line, line, field, value, message, warning from import_conflicts
            where operation_id = ? and product_line >= ? and product_line < ?
            order by line""")
        .param(operationId).param(fromLine).param(toLine == null ? Long.MAX_VALUE : toLine)
        .query(rs -> {
          Found f = found.computeIfAbsent(rs.getLong(1), l -> new Found(new ArrayList<>(), new ArrayList<>()));
          (rs.getBoolean(6) ? f.warnings() : f.refusals())
              .add(new RowError(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        });
    return found;
  }

  private static void line(StringBuilder csv, String prefix, String kind, String key, String handle, long productLine, long line) {
    csv.append(prefix).append(kind).append(',');
    quoted(csv, key).append(',');
    quoted(csv, handle).append(',').append(productLine).append(',').append(line).append('\n');
  }

  private static StringBuilder quoted(StringBuilder csv, String value) {
    return csv.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
