package com.storeops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time spent by processes, read from {@code /proc/<pid>/stat} (user + system, plus that of
 * reaped children): what a load costs on both sides of the connection, whatever the wall clock of
 * a shared machine says. PostgreSQL is the postmaster named by {@code postmaster.pid} and every
 * process it started: live backends are read directly, ended ones are in the postmaster's
 * children's time once it has reaped them.
 */
final class ProcessCpu {

  private static final double TICKS_PER_SECOND = 100; // CLK_TCK on Linux

  private ProcessCpu() {}

  /** CPU seconds of one process so far (0 when it is gone). */
  static double of(long pid) {
    List<String> fields = stat(pid);
    if (fields == null) {
      return 0;
    }
    // After the command name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12))
        + Long.parseLong(fields.get(13)) + Long.parseLong(fields.get(14));
    return ticks / TICKS_PER_SECOND;
  }

  /** CPU seconds of the PostgreSQL server on {@code dataDirectory}: the postmaster and all its processes. */
  static double ofPostgres(Path dataDirectory) {
    long postmaster = PackagedStoreops.postmasterPid(dataDirectory)
        .orElseThrow(() -> new IllegalStateException("no postmaster.pid in " + dataDirectory));
    double total = of(postmaster);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        List<String> fields = stat(pid);
        if (fields != null && Long.parseLong(fields.get(1)) == postmaster) {
          total += of(pid);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return total;
  }

  private static List<String> stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return List.of(line.substring(line.lastIndexOf(')') + 2).split(" "));
    } catch (IOException gone) {
      return null;
    }
  }
}
