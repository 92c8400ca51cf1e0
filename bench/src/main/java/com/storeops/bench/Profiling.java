package com.storeops.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/** What the hand-run profiles share: PostgreSQL's statement statistics, a flight recording on request. */
final class Profiling {

  private Profiling() {}

  /** The database superuser, as the embedded PostgreSQL has it. */
  static Properties superuser() {
    Properties user = new Properties();
    user.setProperty("user", "postgres");
    return user;
  }

  /**
   * Starts storeops once to preload pg_stat_statements (and I/O timing) into the PostgreSQL in
   * {@code dir}; the next start of that directory has them.
   */
  static void trackStatements(Path jar, Path dir) throws Exception {
    try (PackagedStoreops app = PackagedStoreops.start(jar, dir, Map.of());
        Connection c = new org.postgresql.Driver().connect(app.jdbcUrl(), superuser()); Statement s = c.createStatement()) {
      s.execute("alter system set shared_preload_libraries = 'pg_stat_statements'");
      s.execute("alter system set pg_stat_statements.track = 'all'");
      s.execute("alter system set track_io_timing = on");
    }
  }

  /** With PROFILE_JFR set, the environment that makes storeops record app.jfr in {@code dir}. */
  static Map<String, String> flightRecording(Path dir) {
    return System.getenv().getOrDefault("PROFILE_JFR", "").isEmpty() ? Map.of()
        : Map.of("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + dir.resolve("app.jfr") + ",settings=profile");
  }

  /** The 25 statements that took longest since the last reset, those over {@code minMillis} in all. */
  static void statements(Statement s, int minMillis) throws Exception {
    try (ResultSet rs = s.executeQuery("""
        select calls, round(total_exec_time::numeric / 1000, 3) as s, rows, wal_bytes / 1000000 as wal_mb,
               left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q
        from pg_stat_statements where total_exec_time > %d order by total_exec_time desc limit 25""".formatted(minMillis))) {
      while (rs.next()) {
        System.out.printf("%6d %8s s %9d rows %5d MB  %s%n", rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5));
      }
    }
  }

  /** The first column of the first row. */
  static String one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
