package com.storeops.imports;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The checks that need the whole file — a SKU on two products (or twice in one), a product whose
 * rows are split over two places — done by PostgreSQL rather than in the worker's memory, so a file
 * of millions of products costs the worker nothing: the scan streams every product's keys into
 * {@code import_keys}, one query finds the repeats, and the loads read back only the conflicts. The
 * first occurrence wins; every later product involved is refused whole, with the line of the repeat.
 */
@Component
public class ImportConflicts {

  private final DataSource dataSource;
  private final JdbcClient jdbc;

  public ImportConflicts(DataSource dataSource, JdbcClient jdbc) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
  }

  /** Forgets an earlier attempt's keys and conflicts, so a retried scan starts clean. */
  public void reset(UUID operationId) {
    jdbc.sql("delete from import_keys where operation_id = ?").param(operationId).update();
    jdbc.sql("delete from import_conflicts where operation_id = ?").param(operationId).update();
  }

  /** Adds a batch of products' keys, with one COPY. */
  public void record(UUID operationId, List<ShopifyCsvReader.Keys> products) {
    StringBuilder csv = new StringBuilder(products.size() * 64);
    for (ShopifyCsvReader.Keys p : products) {
      if (p.handle() == null) {
        continue; // refused on its own row already
      }
      line(csv, operationId, "handle", p.handle(), p.handle(), p.line(), p.line());
      for (ShopifyCsvReader.SkuAt sku : p.skus()) {
        line(csv, operationId, "sku", sku.sku(), p.handle(), p.line(), sku.line());
      }
    }
    if (csv.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "copy import_keys (operation_id, kind, key, handle, product_line, line) from stdin (format csv)",
          new StringReader(csv.toString()));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("could not stage the import's keys: " + e.getMessage(), e);
    }
  }

  /** Turns the recorded keys into conflicts. The keys stay until {@link #reset} (the import's finish). */
  public void resolve(UUID operationId, String skuColumn, String handleColumn) {
    jdbc.sql("""
        with repeated as (
          select kind, key from import_keys where operation_id = :op group by kind, key having count(*) > 1),
        first as (
          select distinct on (k.kind, k.key) k.kind, k.key, k.handle, k.line
          from import_keys k join repeated r using (kind, key)
          where k.operation_id = :op order by k.kind, k.key, k.line)
        insert into import_conflicts (operation_id, product_line, line, field, value, message)
        select :op, k.product_line, k.line,
               case k.kind when 'sku' then :skuColumn else :handleColumn end, k.key,
               case when k.kind = 'handle'
                      then 'rows of this product also appear at line ' || f.line || '; a product''s rows must be consecutive'
                    when k.handle = f.handle then 'SKU repeated within this product'
                    else 'SKU also used by product ' || f.handle end
        from import_keys k join first f using (kind, key)
        where k.operation_id = :op and k.line > f.line""")
        .param("op", operationId).param("skuColumn", skuColumn).param("handleColumn", handleColumn)
        .update();
  }

  /** The refused products' errors, by the line of the product's first row. */
  public Map<Long, List<RowError>> byProductLine(UUID operationId) {
    Map<Long, List<RowError>> conflicts = new HashMap<>();
    jdbc.sql("select product_line, line, field, value, message from import_conflicts where operation_id = ? order by line")
        .param(operationId)
        .query(rs -> {
          conflicts.computeIfAbsent(rs.getLong(1), l -> new ArrayList<>())
              .add(new RowError(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        });
    return conflicts;
  }

  private static void line(StringBuilder csv, UUID op, String kind, String key, String handle, long productLine, long line) {
    csv.append(op).append(',').append(kind).append(',');
    quoted(csv, key).append(',');
    quoted(csv, handle).append(',').append(productLine).append(',').append(line).append('\n');
  }

  private static StringBuilder quoted(StringBuilder csv, String value) {
    return csv.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
