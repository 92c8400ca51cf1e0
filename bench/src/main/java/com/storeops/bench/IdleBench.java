package com.storeops.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An idle storeops — api and worker in one process, nothing to do — run the README's way, on the
 * durable default Temporal (the CLI's dev server, which storeops starts), measured from {@code
 * /proc}: the storeops JVM's CPU over a minute as a share of one core (goal < 1 %), the dev server's
 * and PostgreSQL's apart, and where the JVM's own cycles go, by thread.
 */
public final class IdleBench {

  static final long SETTLE_SECONDS = Long.getLong("settle", 120);
  static final long WINDOW_SECONDS = 60;

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-idle-bench", dir -> {
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, Map.of())) {
        List<Long> temporal = ProcCpu.processesNaming(dir.resolve("temporal"));
        List<Long> postgres = ProcCpu.processesNaming(dir.resolve("pg"));
        // Startup's stragglers (the JIT above all, the first reconcile) are not idling: on this loaded
        // machine the JIT still compiled for over a minute after "Started".
        Thread.sleep(SETTLE_SECONDS * 1000);

        long pid = storeops.pid();
        Map<Long, ProcCpu.ThreadCpu> threadsBefore = ProcCpu.threads(pid);
        double appBefore = ProcCpu.seconds(pid);
        double temporalBefore = ProcCpu.secondsWithDescendants(temporal);
        double postgresBefore = ProcCpu.secondsWithDescendants(postgres);
        long t0 = System.nanoTime();
        Thread.sleep(WINDOW_SECONDS * 1000);
        double app = ProcCpu.seconds(pid) - appBefore;
        double temporalCpu = ProcCpu.secondsWithDescendants(temporal) - temporalBefore;
        double postgresCpu = ProcCpu.secondsWithDescendants(postgres) - postgresBefore;
        Map<Long, ProcCpu.ThreadCpu> threadsAfter = ProcCpu.threads(pid);
        double wall = (System.nanoTime() - t0) / 1e9;

        Map<String, double[]> byName = new HashMap<>();
        for (Map.Entry<Long, ProcCpu.ThreadCpu> t : threadsAfter.entrySet()) {
          ProcCpu.ThreadCpu before = threadsBefore.get(t.getKey());
          double used = t.getValue().seconds() - (before == null ? 0 : before.seconds());
          double[] sum = byName.computeIfAbsent(group(t.getValue().name()), k -> new double[2]);
          sum[0] += used;
          sum[1]++;
        }

        System.out.println();
        System.out.println("== Idle storeops (bench/IdleBench) ==");
        System.out.printf("api + worker in one process, nothing to do, %s; %d s after start, over %.0f s%n",
            temporal.isEmpty() ? "in-memory test server (no temporal CLI)" : "Temporal dev server (durable default)",
            SETTLE_SECONDS, wall);
        System.out.printf("%-44s %8s %12s%n", "process", "CPU s", "% of a core");
        row("storeops JVM (api + worker)", app, wall);
        row("Temporal dev server (not storeops; apart)", temporalCpu, wall);
        row("PostgreSQL, embedded (apart, " + postgres.size() + " process(es) found)", postgresCpu, wall);
        System.out.printf("storeops: %.2f %% of one core (goal < 1 %%)%n", 100 * app / wall);
        System.out.println("storeops JVM by thread (name as Linux shows it, digits dropped), CPU ms in the window:");
        new TreeMap<>(byName).entrySet().stream()
            .filter(e -> e.getValue()[0] > 0)
            .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
            .limit(15)
            .forEach(e -> System.out.printf("  %-20s %3.0f thread(s) %7.0f ms%n", e.getKey(), e.getValue()[1], 1000 * e.getValue()[0]));
      }
    });
  }

  private static void row(String name, double cpu, double wall) {
    System.out.printf("%-44s %8.2f %11.2f%%%n", name, cpu, 100 * cpu / wall);
  }

  /** "GC Thread#3" and "GC Thread#0" are one kind of thread. */
  private static String group(String name) {
    return name.replaceAll("[-#\\s]*\\d+$", "").replaceAll("\\d+", "#");
  }
}
