package com.storeops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A bench's scratch directory, removed when the bench succeeds and kept when it fails. A bench
 * leaves an embedded PostgreSQL's data of a gigabyte or more there, beside generated CSVs, extracted
 * jars and class-data archives: kept after every run they fill a disk. A failed run keeps them, as
 * its error names the logs in there. Removal comes after the body, so after whatever the body
 * started and stopped in it (storeops, its PostgreSQL); not at JVM exit, which exec:java, running
 * benches inside Maven's JVM, does not reach with the bench's hooks.
 */
final class BenchDirectory {

  interface Body {
    void run(Path dir) throws Exception;
  }

  private BenchDirectory() {}

  static void run(String prefix, Body body) throws Exception {
    Path dir = Files.createTempDirectory(prefix);
    try {
      body.run(dir);
    } catch (Exception | Error failed) {
      System.err.println("the bench failed; its directory is kept for its logs: " + dir);
      throw failed;
    }
    delete(dir);
  }

  /** Deletes what it can and says what it could not, rather than stopping at the first file. */
  private static void delete(Path dir) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      System.err.println("could not list the bench directory " + dir + ": " + e.getMessage());
      return;
    }
    int left = 0;
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        left++;
      }
    }
    if (left > 0) {
      System.err.println("could not remove " + left + " files of the bench directory " + dir);
    }
  }
}
