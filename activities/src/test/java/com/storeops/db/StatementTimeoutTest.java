package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real PostgreSQL: a statement stuck behind a lock ends at DB_STATEMENT_TIMEOUT, so the
 * activity that issued it fails (and Temporal retries it) instead of holding its connection and its
 * budget permit for good.
 */
class StatementTimeoutTest {

  @TempDir static Path dataDir;
  static EmbeddedPostgresServer postgres;
  static HikariDataSource pool;

  @BeforeAll
  static void start() throws SQLException {
    postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
    DatabaseSettings settings = new DatabaseSettings(
        "", false, 1, 2, Duration.ofSeconds(5), Duration.ofSeconds(600), dataDir, 0, Duration.ofSeconds(1));
    pool = new HikariDataSource(DataSourceConfig.hikariConfig(settings, postgres.url()));
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table locked_rows (id int primary key, n int not null)");
      s.execute("insert into locked_rows values (1, 0)");
    }
  }

  @AfterAll
  static void stop() {
    pool.close();
    postgres.close();
  }

  @Test
  void aStatementBlockedOnARowLockBeyondTheTimeoutFailsAndItsConnectionGoesBack() throws Exception {
    try (Connection holder = pool.getConnection()) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("select * from locked_rows where id = 1 for update");
      }

      CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          s.executeUpdate("update locked_rows set n = n + 1 where id = 1");
        } catch (SQLException e) {
          throw new IllegalStateException(e.getSQLState(), e);
        }
      });

      // Without a statement timeout the update waits as long as the lock is held: here, for good.
      assertThatThrownBy(() -> blocked.get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().hasMessage("57014"); // query_canceled: statement_timeout
      holder.rollback();
    }

    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("both connections are back in the pool").isZero();
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("update locked_rows set n = n + 1 where id = 1"))
          .as("a cancelled statement leaves its connection usable").isEqualTo(1);
    }
  }
}
