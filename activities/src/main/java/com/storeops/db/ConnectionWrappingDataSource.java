package com.storeops.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** A DataSource that hands out every borrowed connection through {@link #wrap}. */
public abstract class ConnectionWrappingDataSource extends DelegatingDataSource {

  protected ConnectionWrappingDataSource(DataSource target) {
    super(target);
  }

  /** Called once per borrow; may return the connection itself. */
  protected abstract Connection wrap(Connection borrowed) throws SQLException;

  @Override
  public final Connection getConnection() throws SQLException {
    return wrap(super.getConnection());
  }

  @Override
  public final Connection getConnection(String username, String password) throws SQLException {
    return wrap(super.getConnection(username, password));
  }
}
