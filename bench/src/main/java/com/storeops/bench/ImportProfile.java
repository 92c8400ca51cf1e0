package com.storeops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where an import's time goes in PostgreSQL: the packaged storeops restarted with
 * pg_stat_statements loaded, then for each of the bench's two files the statements by total time
 * (nested ones, such as foreign-key checks, counted apart), rows, WAL, and the CPU time of both
 * sides. Not a bench: run it by hand when the import's write path changes, with
 * {@code PROFILE_JFR=1} for a flight recording of the storeops JVM next to its data:
 * {@code ./mvnw -Pbench -pl bench exec:java -Dexec.mainClass=com.storeops.bench.ImportProfile
 * -Dexec.args=$PWD/api/target/storeops.jar}; {@code PROFILE_JVM_OPTIONS="-XX:… -XX:…"} starts the
 * profiled JVM with other options, to compare their CPU on the same files.
 */
public final class ImportProfile {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("storeops-import-profile");
    Path csv = dir.resolve("products.csv");
    ImportBench.generate(csv, "product-");
    Path second = dir.resolve("items.csv");
    ImportBench.generate(second, "item-");
    Path jar = Path.of(args[0]);
    Properties user = Profiling.superuser();
    Profiling.trackStatements(jar, dir);
    Map<String, String> env = Profiling.flightRecording(dir);
    String options = System.getenv().getOrDefault("PROFILE_JVM_OPTIONS", "").strip();
    List<String> jvmOptions = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    try (PackagedStoreops app = PackagedStoreops.start(jar, dir, env, jvmOptions);
        Connection c = new org.postgresql.Driver().connect(app.jdbcUrl(), user); Statement s = c.createStatement()) {
      s.execute("create extension if not exists pg_stat_statements");
      for (Path file : new Path[] {csv, second}) {
        s.execute("select pg_stat_statements_reset()");
        String lsn0 = Profiling.one(s, "select pg_current_wal_lsn()::text");
        double pg0 = ProcessCpu.ofPostgres(app.pgDirectory());
        double app0 = ProcessCpu.of(app.pid());
        long t0 = System.nanoTime();
        String status = app.awaitFinal(app.upload("/api/operations/import", file));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%n== %s: %s in %.1f s; app CPU %.1f s, PG CPU %.1f s, WAL %s%n", file.getFileName(), status, secs,
            ProcessCpu.of(app.pid()) - app0, ProcessCpu.ofPostgres(app.pgDirectory()) - pg0,
            Profiling.one(s, "select pg_size_pretty(pg_current_wal_lsn() - '" + lsn0 + "'::pg_lsn)"));
        Profiling.statements(s, 50);
      }
      System.out.println("dir: " + dir);
    }
  }
}
