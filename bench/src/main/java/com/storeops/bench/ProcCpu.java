package com.storeops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time of processes and threads from {@code /proc} (Linux): user + system ticks. */
final class ProcCpu {

  /** USER_HZ: Linux reports {@code /proc} times in hundredths of a second on every common architecture. */
  static final double TICKS_PER_SECOND = 100;

  private ProcCpu() {}

  /** Seconds of CPU {@code pid} has used, all its threads together; 0 once it is gone. */
  static double seconds(long pid) {
    return ticks(Path.of("/proc", String.valueOf(pid), "stat")) / TICKS_PER_SECOND;
  }

  /** Seconds of CPU of {@code pids} and all their descendants. */
  static double secondsWithDescendants(List<Long> pids) {
    double total = 0;
    for (long pid : pids) {
      total += seconds(pid);
      total += ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).mapToDouble(p -> seconds(p.pid())).sum();
    }
    return total;
  }

  /** Processes whose command line mentions {@code path} (e.g. a data directory). */
  static List<Long> processesNaming(Path path) throws IOException {
    String needle = path.toAbsolutePath().toString();
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
          if (cmdline.contains(needle)) {
            found.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return found;
  }

  /** CPU seconds per thread of {@code pid}, by thread id, with the thread's name. */
  record ThreadCpu(String name, double seconds) {}

  static Map<Long, ThreadCpu> threads(long pid) throws IOException {
    Map<Long, ThreadCpu> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          threads.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(name, ticks(stat) / TICKS_PER_SECOND));
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return threads;
  }

  private static long ticks(Path stat) {
    try {
      return ticks(Files.readString(stat));
    } catch (IOException gone) {
      return 0;
    }
  }

  /** utime + stime: fields 14 and 15 of stat, counted after the command name in parentheses. */
  private static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
