package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

  @TempDir Path dir;

  @Test
  void dataSurvivesARestartOnTheSameDirectory() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0);
        Connection c = DriverManager.getConnection(first.url().jdbcUrl(), first.url().credentials());
        Statement s = c.createStatement()) {
      s.execute("create table kept (v text)");
      s.execute("insert into kept values ('still here')");
    }

    try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data, 0);
        Connection c = DriverManager.getConnection(second.url().jdbcUrl(), second.url().credentials());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select v from kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("still here");
    }
  }
}
