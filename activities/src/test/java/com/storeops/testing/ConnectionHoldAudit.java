package com.storeops.testing;

import com.storeops.db.ConnectionWrappingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Test fixture for the rule "an activity holds a connection only while it talks to the database".
 * Wraps a DataSource and measures, for every borrowed connection, the longest stretch during which
 * the connection was held but no JDBC call (on it, its statements or result sets) was running —
 * time spent on non-DB work (HTTP, image decoding, sleeping) with a connection pinned.
 *
 * <p>Operation tests wrap their DataSource in it and end with {@link #assertNoIdleHoldLongerThan}.
 * Calls through {@code unwrap} (e.g. pgjdbc's CopyManager) are not seen: keep the copy inside one
 * audited call or audit that path separately.
 */
public final class ConnectionHoldAudit extends ConnectionWrappingDataSource {

  private final AtomicLong longestIdleHoldNanos = new AtomicLong();

  public ConnectionHoldAudit(DataSource target) {
    super(target);
  }

  public Duration longestIdleHold() {
    return Duration.ofNanos(longestIdleHoldNanos.get());
  }

  public void assertNoIdleHoldLongerThan(Duration limit) {
    if (longestIdleHold().compareTo(limit) > 0) {
      throw new AssertionError("a connection was held for " + longestIdleHold().toMillis()
          + " ms without talking to the database (limit " + limit.toMillis() + " ms): release it before non-DB work");
    }
  }

  @Override
  protected Connection wrap(Connection connection) {
    Hold hold = new Hold(System.nanoTime());
    return (Connection) proxy(connection, Connection.class, hold);
  }

  private Object proxy(Object target, Class<?> type, Hold hold) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Audited(target, hold));
  }

  /** One borrow: when the last JDBC call ended, how many are running now. */
  private final class Hold {
    private long idleSince;
    private int calls;

    Hold(long borrowedAt) {
      this.idleSince = borrowedAt;
    }

    synchronized void begin() {
      if (calls++ == 0) {
        longestIdleHoldNanos.accumulateAndGet(System.nanoTime() - idleSince, Math::max);
      }
    }

    synchronized void end() {
      if (--calls == 0) {
        idleSince = System.nanoTime();
      }
    }
  }

  private final class Audited implements InvocationHandler {
    private final Object target;
    private final Hold hold;

    Audited(Object target, Hold hold) {
      this.target = target;
      this.hold = hold;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      hold.begin();
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        hold.end();
      }
      if (method.getName().equals("close") && target instanceof Connection) {
        hold.begin(); // the gap between the last call and close() counts too
        hold.end();
      }
      Class<?> returned = method.getReturnType();
      boolean jdbcType = returned.isInterface() && returned.getPackageName().equals("java.sql");
      return result != null && jdbcType && !method.getName().equals("unwrap") ? proxy(result, returned, hold) : result;
    }
  }
}
