package com.storeops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.db.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class ConnectionHoldAuditTest {

  @TempDir static Path dir;
  static EmbeddedPostgresServer postgres;
  static DriverManagerDataSource plain;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0);
    plain = new DriverManagerDataSource(postgres.url().jdbcUrl(), "postgres", "");
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void releasingTheConnectionBeforeSlowWorkPasses() throws Exception {
    ConnectionHoldAudit audit = new ConnectionHoldAudit(plain);

    readSomething(audit);
    Thread.sleep(300); // slow non-DB work, connection already back
    readSomething(audit);

    audit.assertNoIdleHoldLongerThan(Duration.ofMillis(150));
  }

  @Test
  void holdingTheConnectionAcrossSlowWorkFails() throws Exception {
    ConnectionHoldAudit audit = new ConnectionHoldAudit(plain);

    try (Connection c = audit.getConnection(); Statement s = c.createStatement()) {
      s.execute("select 1");
      Thread.sleep(300); // slow non-DB work with the connection pinned
      s.execute("select 2");
    }

    assertThat(audit.longestIdleHold()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThatThrownBy(() -> audit.assertNoIdleHoldLongerThan(Duration.ofMillis(150)))
        .hasMessageContaining("without talking to the database");
  }

  @Test
  void longDatabaseWorkIsNotIdleHolding() throws Exception {
    ConnectionHoldAudit audit = new ConnectionHoldAudit(plain);

    try (Connection c = audit.getConnection(); Statement s = c.createStatement()) {
      s.execute("select pg_sleep(0.3)");
    }

    audit.assertNoIdleHoldLongerThan(Duration.ofMillis(150));
  }

  private static void readSomething(ConnectionHoldAudit audit) throws Exception {
    try (Connection c = audit.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
    }
  }
}
