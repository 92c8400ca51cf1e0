package com.storeops.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Splits the pool in two by construction. Activities borrow freely: there are at most as many of
 * them as the budget has permits, one connection each. Everyone else — API requests on Tomcat's 200
 * threads, health checks, the reconciler, the fleet lease — holds at most {@code reserve}
 * connections at once: a borrower beyond that waits here, for one of those, never in the pool for
 * one an activity needs. budget + reserve = pool, and the pool is open in full ({@link
 * FixedSizePool}), so no activity waits for a connection however hard the API is driven, and the
 * API keeps its reserve however busy the queues are.
 */
public class ReservedConnections extends DelegatingDataSource {

  private final int reserve;
  private final Semaphore permits;
  private final long timeoutNanos;
  private final AtomicLong timeouts = new AtomicLong();
  private final LongAdder borrows = new LongAdder();
  private final LongAdder waitedNanos = new LongAdder();
  private final LongAdder heldNanos = new LongAdder();

  /**
   * @param reserve connections borrowers outside activities may hold at once
   * @param timeout how long such a borrower waits for one (DB_POOL_TIMEOUT)
   */
  public ReservedConnections(DataSource pool, int reserve, Duration timeout) {
    super(pool);
    this.reserve = reserve;
    // Not fair: a running thread that finds a free place takes it rather than queueing behind
    // parked ones. On a busy CPU a woken waiter can take long to be scheduled, and a fair queue
    // would leave the reserve idle meanwhile; a waiter is still bounded by DB_POOL_TIMEOUT.
    this.permits = new Semaphore(reserve);
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (ActivityScope.active()) {
      return super.getConnection();
    }
    long asked = System.nanoTime();
    acquire();
    long granted = System.nanoTime();
    Connection connection;
    try {
      connection = super.getConnection();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
    borrows.increment();
    waitedNanos.add(granted - asked);
    return releasingOnClose(connection, granted);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLException("storeops borrows with the pool's own credentials only");
  }

  private void acquire() throws SQLException {
    try {
      if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
        timeouts.incrementAndGet();
        throw new SQLTransientConnectionException(
            "All " + reserve + " connections reserved for the API and health checks are in use (waited "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms, DB_POOL_TIMEOUT); the rest of the pool"
                + " belongs to activities. Raise STOREOPS_API_RESERVE, or DB_MAX_OVERFLOW with it.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while waiting for a reserved connection", e);
    }
  }

  /** Connections borrowers outside activities may hold at once. */
  public int reserve() {
    return reserve;
  }

  /** Reserved connections held now. */
  public int inUse() {
    return reserve - permits.availablePermits();
  }

  /** Borrowers waiting for a reserved connection now. */
  public int awaiting() {
    return permits.getQueueLength();
  }

  /** Borrowers that gave up waiting for a reserved connection. */
  public long timeouts() {
    return timeouts.get();
  }

  /** Reserved connections granted so far. */
  public long borrows() {
    return borrows.sum();
  }

  /** Time the borrows counted in {@link #borrows()} spent waiting for their place, all together. */
  public Duration waited() {
    return Duration.ofNanos(waitedNanos.sum());
  }

  /** Time reserved connections were held so far (granted to closed), all together. */
  public Duration held() {
    return Duration.ofNanos(heldNanos.sum());
  }

  private Connection releasingOnClose(Connection connection, long granted) {
    return (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Release(connection, this, granted));
  }

  /** Gives the permit back exactly once, when the borrower closes the connection. */
  private record Release(Connection target, ReservedConnections reserve, long granted, AtomicBoolean released)
      implements InvocationHandler {

    Release(Connection target, ReservedConnections reserve, long granted) {
      this(target, reserve, granted, new AtomicBoolean());
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        try {
          target.close();
        } finally {
          if (released.compareAndSet(false, true)) {
            reserve.heldNanos.add(System.nanoTime() - granted);
            reserve.permits.release();
          }
        }
        return null;
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
