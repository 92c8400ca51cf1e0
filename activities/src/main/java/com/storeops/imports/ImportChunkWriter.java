package com.storeops.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Commits one chunk: its products, its row errors, the operation's counts and the chunk's mark in
 * the {@link ImportChunkPlan}, in one transaction. The connection is taken for exactly that transaction.
 */
@Component
public class ImportChunkWriter {

  private final DataSource dataSource;

  public ImportChunkWriter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void commit(UUID id, int chunk, List<ShopifyCsvReader.Result> products) {
    List<ParsedProduct> valid = products.stream().filter(ShopifyCsvReader.Result::valid).map(ShopifyCsvReader.Result::product).toList();
    List<RowError> errors = new ArrayList<>(products.stream().flatMap(r -> r.errors().stream()).toList());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        ProductUpserter.Outcome outcome = new ProductUpserter(c).upsert(valid);
        errors.addAll(outcome.errors());
        int skipped = products.size() - valid.size() + outcome.errors().size();
        insertErrors(c, id, errors);
        // A chunk is committed once: a second attempt finds it marked and rolls back whole.
        if (update(c, "update import_chunks set imported = ?, skipped = ? where operation_id = ? and chunk = ? and imported is null",
            outcome.written(), skipped, id, chunk) != 1) {
          throw new IllegalStateException("chunk " + chunk + " is already committed or not planned");
        }
        update(c, "update operations set items_done = items_done + ?, succeeded_count = succeeded_count + ?,"
            + " failed_count = failed_count + ?, updated_at = now() where id = ?", products.size(), outcome.written(), skipped, id);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("import chunk " + chunk + " failed: " + e.getMessage(), e);
    }
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static void insertErrors(Connection c, UUID id, List<RowError> errors) throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "insert into operation_errors (operation_id, location, field, value, message) values (?, ?, ?, ?, ?)")) {
      for (RowError e : errors) {
        ps.setObject(1, id);
        ps.setString(2, "line " + e.line());
        ps.setString(3, e.column());
        ps.setString(4, e.value());
        ps.setString(5, e.message());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
