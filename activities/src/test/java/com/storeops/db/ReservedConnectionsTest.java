package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool split by construction, on a real PostgreSQL: a pool of 5 opened in full, 2 reserved for
 * borrowers outside activities (the API), 3 for activities. Whoever grabs all it can of its share,
 * the other side still gets all of its own, at once, and nobody waits in the pool.
 */
class ReservedConnectionsTest {

  static final int POOL = 5;
  static final int RESERVE = 2;
  static final int ACTIVITIES = POOL - RESERVE;

  @TempDir static Path dataDir;
  static EmbeddedPostgresServer postgres;
  static HikariDataSource pool;
  static ReservedConnections dataSource;

  final ExecutorService threads = Executors.newCachedThreadPool();
  final List<Connection> held = new ArrayList<>();

  @BeforeAll
  static void start() throws SQLException {
    postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
    // The pool's own wait is long: a borrow that had to wait in it would show as a stuck test, the
    // reserve's wait is short so that a borrower beyond the reserve is refused promptly.
    DatabaseSettings settings = new DatabaseSettings(
        "", false, 1, POOL - 1, Duration.ofSeconds(60), Duration.ofSeconds(600), dataDir, 0, Duration.ofSeconds(300));
    pool = new HikariDataSource(DataSourceConfig.hikariConfig(settings, postgres.url()));
    new FixedSizePool(pool).open();
    dataSource = new ReservedConnections(pool, RESERVE, Duration.ofMillis(300));
  }

  @AfterEach
  void giveBack() throws SQLException {
    for (Connection c : held) {
      c.close();
    }
    held.clear();
    threads.shutdownNow();
  }

  @AfterAll
  static void stop() {
    pool.close();
    postgres.close();
  }

  @Test
  void withEveryReservedConnectionTakenActivitiesStillGetAllOfTheirs() throws Exception {
    long timeouts = dataSource.timeouts();
    held.addAll(grabAsMuchAsPossible(false, POOL));
    assertThat(held).as("the API's borrowers got the reserve and no more").hasSize(RESERVE);
    assertThat(dataSource.timeouts() - timeouts).isEqualTo(POOL - RESERVE);

    List<Connection> activities = borrowEach(true, ACTIVITIES);
    held.addAll(activities);

    assertThat(activities).hasSize(ACTIVITIES).allSatisfy(c -> assertThat(c.isValid(1)).isTrue());
    assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(POOL);
  }

  @Test
  void withEveryActivityConnectionTakenTheApiStillGetsItsReserve() throws Exception {
    held.addAll(borrowEach(true, ACTIVITIES));

    List<Connection> api = borrowEach(false, RESERVE);
    held.addAll(api);

    assertThat(api).hasSize(RESERVE).allSatisfy(c -> assertThat(c.isValid(1)).isTrue());
    assertThat(dataSource.inUse()).isEqualTo(RESERVE);
    assertThatThrownBy(() -> dataSource.getConnection())
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("All 2 connections reserved for the API");
  }

  @Test
  void aReservedConnectionClosedTwiceGivesItsPlaceBackOnce() throws Exception {
    Connection c = dataSource.getConnection();
    c.close();
    c.close();

    assertThat(dataSource.inUse()).isZero();
    held.addAll(borrowEach(false, RESERVE));
    assertThat(dataSource.inUse()).isEqualTo(RESERVE);
  }

  /** What /api/health/pool reports of the reserve: how often it was borrowed, and for how long held. */
  @Test
  void eachReservedBorrowIsCountedWithTheTimeItWasHeld() throws Exception {
    long borrows = dataSource.borrows();
    Duration held = dataSource.held();

    long start = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
    Duration around = Duration.ofNanos(System.nanoTime() - start);
    ActivityScope.run(ReservedConnectionsTest::borrowOrNull).close();

    assertThat(dataSource.borrows() - borrows).as("the activity's borrow is not the reserve's").isEqualTo(1);
    assertThat(dataSource.held().minus(held)).isPositive().isLessThanOrEqualTo(around);
  }

  /** A borrow the database refused is not a borrow: the reserve counts connections it handed out. */
  @Test
  void aBorrowThePoolFailsIsNotCountedAndGivesItsPlaceBack() {
    DataSource down = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          throw new SQLException("the database is down");
        });
    ReservedConnections reserve = new ReservedConnections(down, 1, Duration.ofMillis(300));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(reserve::getConnection).isInstanceOf(SQLException.class).hasMessage("the database is down");
    }
    assertThat(reserve.borrows()).isZero();
    assertThat(reserve.waited()).as("waits are summed over the borrows counted").isZero();
    assertThat(reserve.inUse()).isZero();
    assertThat(reserve.timeouts()).as("the second borrower found the place given back").isZero();
  }

  /** {@code count} borrowers at once, each on its own thread, inside an activity or not; those that got one. */
  private List<Connection> grabAsMuchAsPossible(boolean activity, int count) throws Exception {
    List<CompletableFuture<Connection>> borrows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      borrows.add(CompletableFuture.supplyAsync(() -> borrow(activity), threads));
    }
    List<Connection> got = new ArrayList<>();
    for (CompletableFuture<Connection> b : borrows) {
      Connection c = b.get(60, TimeUnit.SECONDS);
      if (c != null) {
        got.add(c);
      }
    }
    return got;
  }

  private List<Connection> borrowEach(boolean activity, int count) throws Exception {
    List<Connection> got = grabAsMuchAsPossible(activity, count);
    assertThat(got).as("every borrower got a connection").hasSize(count);
    return got;
  }

  private static Connection borrow(boolean activity) {
    return activity ? ActivityScope.run(ReservedConnectionsTest::borrowOrNull) : borrowOrNull();
  }

  private static Connection borrowOrNull() {
    try {
      return dataSource.getConnection();
    } catch (SQLTransientConnectionException refused) {
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
