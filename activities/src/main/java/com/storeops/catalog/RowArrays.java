package com.storeops.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rows shipped to PostgreSQL as one array parameter per column and turned back into rows with
 * {@code unnest(…)}: a chunk of any size is one statement with a fixed number of bind parameters.
 */
public final class RowArrays<R> {

  private static final Map<String, String> ELEMENT_TYPES =
      Map.of("text", "text", "int", "int4", "bigint", "int8", "boolean", "bool", "numeric", "numeric");

  private final List<R> rows;
  private final List<String> names = new ArrayList<>();
  private final List<String> types = new ArrayList<>();
  private final List<Function<R, Object>> values = new ArrayList<>();

  public RowArrays(List<R> rows) {
    this.rows = rows;
  }

  public RowArrays<R> add(String name, String type, Function<R, Object> value) {
    names.add(name);
    types.add(type);
    values.add(value);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** {@code unnest(?::text[], ?::int[]) as t(handle, position)}. */
  public String unnest() {
    List<String> params = types.stream().map(t -> "?::" + t + "[]").toList();
    return "unnest(" + String.join(", ", params) + ") as t(" + String.join(", ", names) + ")";
  }

  /** Runs {@code sql}, whose only parameters are these columns' arrays; nothing when there are no rows. */
  public int execute(Connection connection, String sql) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(connection, ps);
      return ps.executeUpdate();
    }
  }

  /** Runs {@code sql} over these rows and answers the (text key, id) pairs it returns. */
  public Map<String, Long> idsByKey(Connection connection, String sql) throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    if (rows.isEmpty()) {
      return ids;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      bind(connection, ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return ids;
  }

  /** Binds the arrays, in column order, as the statement's first parameters. */
  public void bind(Connection connection, PreparedStatement statement) throws SQLException {
    for (int c = 0; c < names.size(); c++) {
      Object[] column = new Object[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        column[r] = values.get(c).apply(rows.get(r));
      }
      Array array = connection.createArrayOf(ELEMENT_TYPES.get(types.get(c)), column);
      statement.setArray(c + 1, array);
    }
  }
}
