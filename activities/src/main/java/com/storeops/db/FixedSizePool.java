package com.storeops.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens every connection of the pool at once and keeps them open: HikariCP's own advice for a busy
 * pool. A pool that grows on demand makes the first borrower of each new connection wait while it
 * is created (with DB_POOL_SIZE 5 + DB_MAX_OVERFLOW 10 and every queue saturated: 6 threads
 * waiting, up to 0.21 s); a full pool of DB_POOL_SIZE + DB_MAX_OVERFLOW makes the budget's promise
 * hold from the first activity on — no activity ever waits for a connection.
 *
 * <p>Called once the fleet lease is granted, so a process refused for lack of room has opened only
 * DB_POOL_SIZE connections. Hikari tops a pool up to a raised minimumIdle only in its housekeeping
 * (every 30 s); borrowing every connection at once has it open them now, before workers poll.
 * Recycling (DB_POOL_RECYCLE) stays: Hikari retires each connection at its own time (up to 2.5 %
 * earlier, so they do not all go at once), an idle one at once and a busy one when returned, and
 * opens its replacement in the background.
 */
public final class FixedSizePool {

  private final HikariDataSource pool;

  public FixedSizePool(HikariDataSource pool) {
    this.pool = pool;
  }

  /** Raises minimumIdle to the maximum and opens the connections that are not open yet. */
  public FixedSizePool open() throws SQLException {
    int size = pool.getMaximumPoolSize();
    pool.getHikariConfigMXBean().setMinimumIdle(size);
    List<Connection> held = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        held.add(pool.getConnection());
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    return this;
  }
}
