package com.storeops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A bench's scratch directory, removed when the bench ends. A bench leaves an embedded PostgreSQL's
 * data of a gigabyte or more there (generated CSVs, extracted jars, class-data archives besides);
 * a dozen runs kept filled the disk, and the next run's storeops answered 500 mid-import. Closed
 * after what the bench started (storeops, its PostgreSQL) has stopped: open it first. Not a
 * shutdown hook: exec:java runs benches inside Maven's JVM, which did not run it.
 */
final class BenchDirectory implements AutoCloseable {

  private final Path path;

  private BenchDirectory(Path path) {
    this.path = path;
  }

  static BenchDirectory create(String prefix) throws IOException {
    return new BenchDirectory(Files.createTempDirectory(prefix));
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> files = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      System.err.println("could not remove the bench directory " + path + ": " + e.getMessage());
    }
  }
}
