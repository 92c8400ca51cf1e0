package com.storeops.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image's warm start: the jar laid out as the Dockerfile lays it ({@code -Djarmode=tools
 * extract}: storeops.jar plus lib/), the AOT cache of the Dockerfile's training run (a generated
 * file imported twice, {@code -XX:AOTCacheOutput}), then storeops started fresh — its own new
 * database each time — with and without {@code -XX:AOTCache}, alternating. Measures process start
 * to health UP, and process start to the first import (a small CSV) COMPLETED; prints each run, the
 * medians and the ratio. The image's JRE is 25: {@code BENCH_JAVA} names a JDK 25+ {@code java}
 * (the bench's own by default), and the bench says so and stops on an older one.
 *
 * <p>Needs {@code api/target/storeops.jar}: {@code ./mvnw -Pbench -pl bench -am verify -DskipTests}
 * runs it (execution {@code warm-start}); arguments: the jar, then the repetitions (default 3).
 */
public final class WarmStartBench {

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar").toAbsolutePath();
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path java = PackagedStoreops.storeopsJava();
    if (!PackagedStoreops.hasAotCache(java)) {
      System.out.println("warm-start: " + java + " has no AOT cache (JDK 25+); set BENCH_JAVA to a JDK 25+ java to measure the image's");
      return;
    }
    BenchDirectory.run("storeops-warm-start-bench", dir -> {
      Path app = extract(jar, dir.resolve("app"));
      Path cache = app.getParent().resolve("storeops.aot");
      long trained = trainAotCache(java, app, cache, dir.resolve("training"), ImportBench.TRAINING_PRODUCTS);
      System.out.printf("warm-start: %s; training run %d ms, AOT cache %d MB%n", java, trained, Files.size(cache) >> 20);
      Path csv = dir.resolve("first.csv");
      writeCsv(csv, 200);

      List<Long> coldUp = new ArrayList<>();
      List<Long> coldImport = new ArrayList<>();
      List<Long> warmUp = new ArrayList<>();
      List<Long> warmImport = new ArrayList<>();
      for (int i = 0; i < repetitions; i++) {
        long[] cold = firstImport(java, app, dir.resolve("cold-" + i), csv, List.of());
        long[] warm = firstImport(java, app, dir.resolve("warm-" + i), csv, List.of("-XX:AOTCache=" + cache));
        System.out.printf("warm-start run %d: without cache up %d ms, first import COMPLETED %d ms; "
            + "with cache up %d ms, first import COMPLETED %d ms%n", i + 1, cold[0], cold[1], warm[0], warm[1]);
        coldUp.add(cold[0]);
        coldImport.add(cold[1]);
        warmUp.add(warm[0]);
        warmImport.add(warm[1]);
      }
      long cu = Stats.of(coldUp).p50();
      long ci = Stats.of(coldImport).p50();
      long wu = Stats.of(warmUp).p50();
      long wi = Stats.of(warmImport).p50();
      System.out.printf("warm-start medians of %d: start to UP %d ms without, %d ms with the AOT cache (%.2fx); "
          + "start to first import COMPLETED %d ms without, %d ms with (%.2fx)%n", repetitions, cu, wu, (double) cu / wu, ci, wi,
          (double) ci / wi);
    });
  }

  /** The Dockerfile's layout: storeops.jar with its libraries in lib/, each layer merged into one directory. */
  static Path extract(Path jar, Path into) throws Exception {
    run(List.of(PackagedStoreops.benchJava().toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", into.toString()), into.getParent(),
        Map.of());
    return into.resolve("storeops.jar");
  }

  /**
   * The image's AOT-cache training run (JDK 25+): storeops on its embedded fallbacks, as the
   * Dockerfile runs it, with {@code -XX:AOTCacheOutput} and STOREOPS_TRAINING_PRODUCTS, imports a
   * generated file twice and exits; the JVM then writes the classes it loaded and linked and (JDK
   * 25+) the method profiles the imports gathered. Answers the run's milliseconds, the cache written.
   */
  static long trainAotCache(Path java, Path app, Path cache, Path dir, int products) throws Exception {
    long t0 = System.nanoTime();
    try {
      run(List.of(java.toString(), "-Xmx1g", "-XX:AOTCacheOutput=" + cache, "-jar", app.toString()), dir,
          Map.of("STOREOPS_TRAINING_PRODUCTS", String.valueOf(products), "STOREOPS_EMBEDDED_PG_DIR", dir.resolve("pg").toString(),
              "STOREOPS_TEMPORAL_CLI", "none", "STOREOPS_EMBEDDED_TEMPORAL_PORT", "0", "PORT", "0"));
    } finally {
      PackagedStoreops.stopPostgres(dir.resolve("pg")); // a run killed at its time limit leaves it up; one that exits stops its own
    }
    if (!Files.exists(cache)) {
      throw new IllegalStateException("the JVM wrote no AOT cache " + cache + "; log in " + dir);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Answers {start to UP, start to first import COMPLETED} in ms. */
  private static long[] firstImport(Path java, Path app, Path dir, Path csv, List<String> jvmOptions) throws Exception {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    try (PackagedStoreops storeops = PackagedStoreops.start(java, app, dir, Map.of(), jvmOptions)) {
      long up = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      String status = storeops.awaitFinal(storeops.upload("/api/operations/import", csv));
      if (!status.equals("COMPLETED")) {
        throw new IllegalStateException("first import ended " + status + "; log in " + dir);
      }
      return new long[] {up, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)};
    }
  }

  private static void writeCsv(Path file, int products) throws Exception {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("Handle,Title,Vendor,Variant SKU,Variant Price\n");
      for (int p = 0; p < products; p++) {
        w.write("warm-" + p + ",Product " + p + ",Acme,WARM-" + p + "," + (10 + p % 90) + ".00\n");
      }
    }
  }

  private static void run(List<String> command, Path dir, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    Path log = dir.resolve("run.log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("DATABASE_URL");
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().putAll(env);
    Process process = pb.start();
    if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed; log in " + log);
    }
  }

}
