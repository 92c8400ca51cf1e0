package com.storeops.imports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs an import's hot code over a generated file once, on a background thread, when a worker
 * starts: the scan's key reading, the load's parsing and the COPY rows it builds. The JIT then
 * compiles that code before the first real import, which would otherwise pay for it while it runs
 * — the C2 compiler took 4 CPU s of a first import's 12 on 2 cores, the import's own threads ran
 * twice as long in the interpreter, and PostgreSQL waited on both. It touches no database and keeps
 * nothing; what it costs is printed once ({@code STOREOPS_IMPORT_WARM_UP_PRODUCTS}, 0 turns it off).
 *
 * <p>The files have both header generations, a hand-made header, and the shapes the reader branches
 * on ({@link SampleCsv}).
 */
@Component
public class ImportWarmUp {

  private static final Logger log = LoggerFactory.getLogger(ImportWarmUp.class);

  /** What one rehearsal read and built. */
  public record Rehearsal(int products, int rows, long copyBytes, List<RowError> errors) {
    Rehearsal and(Rehearsal other) {
      List<RowError> all = new ArrayList<>(errors);
      all.addAll(other.errors);
      return new Rehearsal(products + other.products, rows + other.rows, copyBytes + other.copyBytes, all);
    }
  }

  private static final int ROUNDS = 4;
  private static final long HEARTBEAT_CHARS = 4_000_000;

  private final ImportSettings settings;

  public ImportWarmUp(ImportSettings settings) {
    this.settings = settings;
  }

  /** Starts {@link #rehearse} on a daemon thread of the lowest priority and answers at once; nothing when turned off. */
  public void startInBackground() {
    int products = settings.warmUpProducts();
    if (products == 0) {
      return;
    }
    Thread thread = new Thread(() -> {
      long t0 = System.nanoTime();
      long cpu0 = cpuNanos();
      Rehearsal done = rehearse(products);
      log.info("Import code warmed up before the first import: {} generated products, {} rows read and their COPY rows"
              + " ({} MB) built in {} ms, {} ms of this thread's CPU (the JIT compiles on its own threads besides)",
          done.products(), done.rows(), done.copyBytes() >> 20, (System.nanoTime() - t0) / 1_000_000,
          (cpuNanos() - cpu0) / 1_000_000);
    }, "import-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  /**
   * Reads {@code products} generated products as a scan and a load do, through the same readers, in
   * rounds over three files (each header generation, and a hand-made file of common columns): the
   * JIT compiles a method once it has been called often enough for its queue, which at start is long.
   */
  public Rehearsal rehearse(int products) {
    List<SampleCsv> samples = List.of(
        SampleCsv.of(ShopifyColumn.Generation.LEGACY, ShopifyColumn.inOrder(ShopifyColumn.Generation.LEGACY), products / (3 * ROUNDS)),
        SampleCsv.of(ShopifyColumn.Generation.CURRENT, ShopifyColumn.inOrder(ShopifyColumn.Generation.CURRENT), products / (3 * ROUNDS)),
        SampleCsv.of(ShopifyColumn.Generation.LEGACY, SampleCsv.COMMON_COLUMNS, products / (3 * ROUNDS)));
    Rehearsal done = new Rehearsal(0, 0, 0, List.of());
    for (int round = 0; round < ROUNDS; round++) {
      for (SampleCsv sample : samples) {
        done = done.and(rehearse(sample));
      }
    }
    return done;
  }

  private Rehearsal rehearse(SampleCsv sample) {
    int read = 0;
    long bytes = 0;
    List<RowError> errors = new ArrayList<>();
    try (ShopifyCsvReader scan = ShopifyCsvReader.keys(heartbeating(sample), settings.limits())) {
      while (scan.nextKeys().isPresent()) {
        // the scan's pass: keys only
      }
      Reader chars = heartbeating(sample);
      BoundedReader head = new BoundedReader(chars, sample.headerChars());
      ShopifyCsvReader header = new ShopifyCsvReader(head, settings.limits());
      head.drain();
      ShopifyCsvReader load = header.chunk(new BoundedReader(chars, Long.MAX_VALUE), 2);
      List<ParsedProduct> chunk = new ArrayList<>();
      for (Optional<ShopifyCsvReader.Result> next = load.next(); next.isPresent(); next = load.next()) {
        read++;
        errors.addAll(next.get().errors());
        if (next.get().valid()) {
          chunk.add(next.get().product());
        }
        if (chunk.size() == settings.chunkProducts()) {
          bytes += ProductUpserter.rehearse(chunk, read);
          chunk.clear();
        }
      }
      bytes += ProductUpserter.rehearse(chunk, read);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the warm-up's own file did not read: " + e.getMessage(), e);
    }
    return new Rehearsal(read, sample.rows(), bytes, errors);
  }

  /** The readers an upload is read through (decoder, heartbeats), so that the JIT sees the same types as in an import. */
  private static Reader heartbeating(SampleCsv sample) {
    return new HeartbeatingReader(ShopifyCsvReader.decode(new ByteArrayInputStream(sample.text().getBytes(StandardCharsets.UTF_8))),
        HEARTBEAT_CHARS, read -> {});
  }

  private static long cpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
  }
}
