package com.storeops.faults;

import static com.storeops.faults.FaultHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Files that made an import hold what it read, imported by storeops in a 512 MB heap that exits on
 * the first OutOfMemoryError: a product of millions of rows (every row of one handle was kept),
 * and a quote never closed (the parser kept the rest of the file as one cell). Each file is written
 * to disk as it is generated, never held in memory, and uploaded from there. The product is
 * reported as its own error and the products around it import; the quote fails the file naming the
 * line it opened on; the process stays up.
 *
 * <p>{@link #FILE_BYTES} is 256 MB, a quarter of the 1 GB the memory bound is stated for, so the
 * test stays within a few minutes on a loaded 2-core machine; at that size a reader that kept every
 * row of a product needs more than the heap (it ends in OutOfMemoryError). {@code -Dimport.memory.bytes=1073741824} runs it at 1 GB.
 */
class ImportMemoryIT {

  static final long FILE_BYTES = Long.getLong("import.memory.bytes", 256L << 20);
  static final int PRODUCTS_AROUND = 100;
  private static final String HEADER = "Handle,Title,Body (HTML),Option1 Name,Option1 Value,Variant SKU,Variant Price\n";
  private static final String FILLER = "x".repeat(150);

  @Test
  void aHugeProductAndAnUnclosedQuoteEndWithTheirErrorsInA512MegabyteHeap() throws Exception {
    try (FaultHarness harness = new FaultHarness("import-memory")) {
      Path huge = harness.dir.resolve("huge-product.csv");
      long hugeLine = writeHugeProduct(huge, FILE_BYTES);
      Path quote = harness.dir.resolve("unclosed-quote.csv");
      writeUnclosedQuote(quote, FILE_BYTES);
      harness.jvmOptions = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
      FaultHarness.Node storeops = harness.startStoreops(Map.of());

      Instant started = Instant.now();
      String loaded = harness.upload("/api/operations/import", huge).json().get("id").asString();
      Instant uploaded = Instant.now();
      JsonNode done = awaitEnded(harness, storeops, loaded, Duration.ofMinutes(20));
      System.out.printf("ImportMemoryIT: %d MB with a product of %d rows uploaded in %.1f s, %s %.1f s later%n", Files.size(huge) >> 20,
          lines(huge) - 1 - 2 * PRODUCTS_AROUND, seconds(started, uploaded), status(done), seconds(uploaded, Instant.now()));

      started = Instant.now();
      String quoted = harness.upload("/api/operations/import", quote).json().get("id").asString();
      uploaded = Instant.now();
      JsonNode refused = awaitEnded(harness, storeops, quoted, Duration.ofMinutes(10));
      System.out.printf("ImportMemoryIT: %d MB with an unclosed quote uploaded in %.1f s, %s %.1f s later: %s%n", Files.size(quote) >> 20,
          seconds(started, uploaded), status(refused), seconds(uploaded, Instant.now()), refused.path("error").asString());

      assertThat(status(refused)).isEqualTo("FAILED");
      assertThat(refused.path("error").asString()).contains("quote opened on line 3");
      assertThat(status(done)).isEqualTo("COMPLETED");
      assertThat(done.at("/counts/succeeded").asLong()).as("the products around it").isEqualTo(2 * PRODUCTS_AROUND);
      assertThat(done.at("/counts/failed").asLong()).as("the huge product").isEqualTo(1);
      assertThat(harness.get("/api/operations/" + loaded + "/errors").body()).contains("line " + hugeLine + ",Handle,huge,");
      assertThat(storeops.alive()).as("storeops survived both").isTrue();
      assertThat(harness.log(storeops)).doesNotContain("OutOfMemoryError");
    }
  }

  /** {@value #PRODUCTS_AROUND} products, one product filling the file to {@code bytes}, {@value #PRODUCTS_AROUND} more; answers the big one's line. */
  private static long writeHugeProduct(Path file, long bytes) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      for (int i = 0; i < PRODUCTS_AROUND; i++) {
        out.write("before-" + i + ",Before " + i + ",,,,before-" + i + ",1.00\n");
      }
      long written = 0;
      long tail = 64L * PRODUCTS_AROUND;
      for (long row = 0; written < bytes - tail; row++) {
        String line = "huge," + (row == 0 ? "Huge" : "") + "," + FILLER + "," + (row == 0 ? "Size" : "") + ",v" + row + ",huge-" + row + ",1.00\n";
        out.write(line);
        written += line.length();
      }
      for (int i = 0; i < PRODUCTS_AROUND; i++) {
        out.write("after-" + i + ",After " + i + ",,,,after-" + i + ",1.00\n");
      }
    }
    return 2 + PRODUCTS_AROUND;
  }

  /** A quote opened on line 3 and never closed, then rows to {@code bytes}. */
  private static void writeUnclosedQuote(Path file, long bytes) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.write("a,A,,,,a-1,1.00\n");
      out.write("b,\"opens here,,,,b-1,1.00\n");
      String row = "c,C," + FILLER + ",,,c-1,1.00\n";
      for (long written = 0; written < bytes; written += row.length()) {
        out.write(row);
      }
    }
  }

  /** The operation once it has ended; fails at once if storeops died (an OutOfMemoryError ends it). */
  private static JsonNode awaitEnded(FaultHarness harness, FaultHarness.Node storeops, String id, Duration limit) {
    return FaultHarness.await("operation " + id, limit, () -> {
      if (!storeops.alive()) {
        throw new AssertionError("storeops exited; its log: " + storeops.log);
      }
      return harness.get("/api/operations/" + id);
    }, r -> r.status() == 200 && FaultHarness.ended(r.json())).json();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static long lines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }
}
