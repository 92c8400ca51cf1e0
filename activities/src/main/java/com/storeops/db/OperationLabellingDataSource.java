package com.storeops.db;

import com.storeops.operations.OperationContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels each connection with the operation that borrowed it: while an activity of operation X
 * holds a connection, {@code pg_stat_activity.application_name} reads X, and it reads {@value
 * #DEFAULT_NAME} again once the connection is back in the pool, without trusting callers to undo it.
 *
 * <p>Costs one round trip on borrow and one on return, and only for borrows inside an operation.
 * Behind a transaction-mode pooler (SUPABASE_USE_POOLER) the label lands on whichever server
 * connection the pooler picked for that statement, so it is a hint there, not a fact.
 */
public class OperationLabellingDataSource extends ConnectionWrappingDataSource implements AutoCloseable {

  public static final String DEFAULT_NAME = "storeops";
  private static final Logger log = LoggerFactory.getLogger(OperationLabellingDataSource.class);
  private static final String SET_NAME = "select set_config('application_name', ?, false)";

  public OperationLabellingDataSource(DataSource pool) {
    super(pool);
  }

  /** Closes the pool behind this data source, when it is closeable. */
  @Override
  public void close() throws Exception {
    if (getTargetDataSource() instanceof AutoCloseable pool) {
      pool.close();
    }
  }

  @Override
  protected Connection wrap(Connection connection) throws SQLException {
    UUID operationId = OperationContext.current();
    if (operationId == null) {
      return connection;
    }
    try {
      setName(connection, operationId.toString());
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Unlabel(connection));
  }

  private static void setName(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SET_NAME)) {
      statement.setString(1, name);
      statement.execute();
    }
  }

  /** Restores the default label before the connection goes back to the pool. */
  private record Unlabel(Connection target) implements InvocationHandler {

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        unlabelAndClose();
        return null;
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private void unlabelAndClose() throws SQLException {
      try {
        if (!target.isClosed()) {
          // Roll back what the borrower left open (the pool would do the same), else a reset run
          // inside a failed or later-rolled-back transaction would not stick.
          if (!target.getAutoCommit()) {
            target.rollback();
            target.setAutoCommit(true);
          }
          setName(target, DEFAULT_NAME);
        }
      } catch (SQLException e) {
        log.debug("Could not reset application_name; the pool validates the connection", e);
      } finally {
        target.close();
      }
    }
  }
}
