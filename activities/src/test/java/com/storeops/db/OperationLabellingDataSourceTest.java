package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.operations.OperationTracker;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** Against a real PostgreSQL: what the seed's pg_stat_activity query shows. */
class OperationLabellingDataSourceTest {

  @TempDir static Path dataDir;
  static EmbeddedPostgresServer postgres;
  static HikariDataSource pool;
  static OperationLabellingDataSource dataSource;
  static final OperationTracker tracker =
      new OperationTracker(new StaticListableBeanFactory().getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class));

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
    DatabaseSettings settings = new DatabaseSettings(
        "", false, 1, 2, Duration.ofSeconds(5), Duration.ofSeconds(600), dataDir, 0, Duration.ofSeconds(300));
    pool = new HikariDataSource(DataSourceConfig.hikariConfig(settings, postgres.url()));
    dataSource = new OperationLabellingDataSource(pool);
  }

  @AfterAll
  static void stop() {
    pool.close();
    postgres.close();
  }

  @Test
  void connectionHeldByAnActivityShowsTheOperationIdAndLosesItWhenReturned() throws Exception {
    UUID operationId = UUID.randomUUID();
    int[] pid = new int[1];

    tracker.track(operationId, "probe", () -> {
      try (Connection c = dataSource.getConnection()) {
        pid[0] = backendPid(c);
        assertThat(applicationNameOf(pid[0])).isEqualTo(operationId.toString());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(applicationNameOf(pid[0])).isEqualTo(OperationLabellingDataSource.DEFAULT_NAME);
  }

  @Test
  void labelIsResetEvenWhenTheBorrowerLeftAFailedTransactionOpen() throws Exception {
    UUID operationId = UUID.randomUUID();
    int[] pid = new int[1];

    tracker.track(operationId, "probe", () -> {
      try (Connection c = dataSource.getConnection()) {
        pid[0] = backendPid(c);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("select 1/0");
        } catch (SQLException expected) {
          // the transaction is now aborted; closing must still clean up
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(applicationNameOf(pid[0])).isEqualTo(OperationLabellingDataSource.DEFAULT_NAME);
  }

  @Test
  void connectionsBorrowedOutsideAnOperationKeepTheDefaultName() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      assertThat(applicationNameOf(backendPid(c))).isEqualTo(OperationLabellingDataSource.DEFAULT_NAME);
    }
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Read from a separate, unpooled session, as an operator running the seed's query would. */
  private static String applicationNameOf(int pid) throws SQLException {
    try (Connection observer = java.sql.DriverManager.getConnection(postgres.url().jdbcUrl(), postgres.url().credentials());
        PreparedStatement ps = observer.prepareStatement("select application_name from pg_stat_activity where pid = ?")) {
      ps.setInt(1, pid);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("backend %d is connected", pid).isTrue();
        return rs.getString(1);
      }
    }
  }
}
