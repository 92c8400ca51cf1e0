package com.storeops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a batch update's time goes: the packaged storeops restarted with pg_stat_statements loaded,
 * the bench's 10 % price cut on 100 000 variants, then the plain {@code UPDATE … WHERE} of the same
 * rows, each with its statements by total time, WAL, and the CPU of both sides; and the storeops
 * log's lines of the operation, which time its steps. Not a bench: run it by hand when the batch's
 * write path changes, with {@code PROFILE_JFR=1} for a flight recording of the storeops JVM:
 * {@code ./mvnw -Pbench -pl bench exec:java -Dexec.mainClass=com.storeops.bench.BatchUpdateProfile
 * -Dexec.args=$PWD/api/target/storeops.jar}.
 */
public final class BatchUpdateProfile {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("storeops-batch-profile");
    Path jar = Path.of(args[0]);
    Properties user = Profiling.superuser();
    Profiling.trackStatements(jar, dir);
    Map<String, String> env = Profiling.flightRecording(dir);
    try (PackagedStoreops app = PackagedStoreops.start(jar, dir, env);
        Connection c = new org.postgresql.Driver().connect(app.jdbcUrl(), user); Statement s = c.createStatement()) {
      s.execute("create extension if not exists pg_stat_statements");
      BatchUpdateBench.seed(s);
      s.execute("select pg_stat_statements_reset()");
      String lsn0 = Profiling.one(s, "select pg_current_wal_lsn()::text");
      double pg0 = ProcessCpu.ofPostgres(app.pgDirectory());
      double app0 = ProcessCpu.of(app.pid());
      long t0 = System.nanoTime();
      String id = app.post("/api/operations/batch-update", BatchUpdateBench.REQUEST);
      String status = app.awaitFinal(id);
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%n== storeops batch update: %s in %.1f s; app CPU %.1f s, PG CPU %.1f s, WAL %s%n", status, secs,
          ProcessCpu.of(app.pid()) - app0, ProcessCpu.ofPostgres(app.pgDirectory()) - pg0,
          Profiling.one(s, "select pg_size_pretty(pg_current_wal_lsn() - '" + lsn0 + "'::pg_lsn)"));
      Profiling.statements(s, 10);
      List<String> log = Files.readAllLines(dir.resolve("app.log"));
      log.stream().filter(line -> line.contains(id)).forEach(line -> System.out.println("  log: " + line));

      s.execute("select pg_stat_statements_reset()");
      lsn0 = Profiling.one(s, "select pg_current_wal_lsn()::text");
      pg0 = ProcessCpu.ofPostgres(app.pgDirectory());
      t0 = System.nanoTime();
      s.execute(BatchUpdateBench.PLAIN);
      secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%n== plain UPDATE in %.1f s; PG CPU %.1f s, WAL %s%n", secs,
          ProcessCpu.ofPostgres(app.pgDirectory()) - pg0,
          Profiling.one(s, "select pg_size_pretty(pg_current_wal_lsn() - '" + lsn0 + "'::pg_lsn)"));
      Profiling.statements(s, 10);
      System.out.println("dir: " + dir);
    }
  }
}
