package com.storeops.db;

import java.sql.SQLException;
import java.util.Set;
import org.postgresql.util.PSQLException;

/**
 * Tells bad data from outages in a PostgreSQL failure. A refusal of the data itself fails the same
 * way on every retry, so a caller makes it that item's error; anything else (a lost connection, a
 * timeout, a deadlock) is an outage for Temporal to retry.
 */
public final class DataRefusals {

  /** SQLSTATE classes: data exception, integrity constraint violation, program limit exceeded. */
  private static final Set<String> CLASSES = Set.of("22", "23", "54");

  private DataRefusals() {}

  /** Whether PostgreSQL refused a row of {@code failure} under the constraint of that name (as the schema gives it). */
  public static boolean violates(Throwable failure, String constraint) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        return constraint.equals(psql.getServerErrorMessage().getConstraint());
      }
    }
    return false;
  }

  /** Whether the first SQLSTATE among {@code failure}'s causes is of a class that refuses the data. */
  public static boolean refusesData(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState().length() == 5 && CLASSES.contains(sql.getSQLState().substring(0, 2));
      }
    }
    return false;
  }
}
