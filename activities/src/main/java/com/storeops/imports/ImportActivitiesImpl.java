package com.storeops.imports;

import com.storeops.db.DataRefusals;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The import's database side. The scan counts products, finds file-wide repeats (in memory up to a
 * bound, past it by PostgreSQL) and plans the chunks; the load runs as parallel slices, each
 * reading only every n-th chunk of the file. Each chunk is written in one transaction together
 * with its row errors, the operation's counts and its mark in the chunk plan; those marks are the
 * checkpoint a retry resumes from, so a worker killed mid-file neither loses nor doubles a
 * product, an error or a count.
 */
@Component
public class ImportActivitiesImpl implements ImportActivities {

  private static final int KEY_BATCH = 20_000;
  private static final long HEARTBEAT_CHARS = 4_000_000;

  private final ImportUploads uploads;
  private final ImportConflicts conflicts;
  private final ImportChunkPlan plan;
  private final ImportChunkWriter writer;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ImportSettings settings;
  private final TransactionTemplate transactions;

  public ImportActivitiesImpl(
      ImportUploads uploads, ImportConflicts conflicts, ImportChunkPlan plan, ImportChunkWriter writer,
      Operations operations, OperationTracker tracker, ImportSettings settings, TransactionTemplate transactions) {
    this.transactions = transactions;
    this.uploads = uploads;
    this.conflicts = conflicts;
    this.plan = plan;
    this.writer = writer;
    this.operations = operations;
    this.tracker = tracker;
    this.settings = settings;
  }

  @Override
  public Scan scanFile(ScanRequest request) {
    UUID id = request.operationId();
    return tracker.track(id, "scanFile", () -> {
      operations.markRunning(id);
      ActivityExecutionContext activity = Activity.getExecutionContext();
      int attempt = activity.getInfo().getAttempt();
      try {
        return scan(id, attempt, activity);
      } finally {
        try {
          conflicts.forget(id, attempt);
        } catch (DataAccessException e) {
          // the database is away: the import's end removes every attempt's keys
        }
      }
    });
  }

  /**
   * One pass over the file: the product count, the file-wide repeats and the chunk plan; no product
   * written. It heartbeats as it reads, so an attempt Temporal gave up on learns so and stops; one
   * that still reaches the end plans nothing (see {@link ImportChunkPlan#planOnce}). A chunk ends
   * after {@code chunkProducts} products, or sooner once its rows or characters reach one
   * product's limit, so a slice holds at most about twice that limit of a chunk.
   */
  private Scan scan(UUID id, int attempt, ActivityExecutionContext activity) {
    int chunkProducts = settings.chunkProducts();
    ShopifyCsvReader.Limits limits = settings.limits();
    conflicts.forget(id, attempt);
    try (InputStream in = uploads.open(id)) {
      ShopifyCsvReader reader = ShopifyCsvReader.keys(
          new HeartbeatingReader(ShopifyCsvReader.decode(in), HEARTBEAT_CHARS, activity::heartbeat), limits);
      long products = 0;
      List<ImportChunkPlan.Start> starts = new ArrayList<>();
      ShopifyCsvReader.Keys chunkStart = null;
      int inChunk = 0;
      // The file's keys while they fit the bound; past it PostgreSQL takes them and the rest of the file.
      KeyRepeats held = settings.keysInMemory() > 0 ? new KeyRepeats(settings.keysInMemory()) : null;
      List<ShopifyCsvReader.Keys> batch = new ArrayList<>();
      long batchChars = 0;
      for (Optional<ShopifyCsvReader.Keys> next = reader.nextKeys(); next.isPresent(); next = reader.nextKeys()) {
        ShopifyCsvReader.Keys keys = next.get();
        products++;
        if (chunkStart == null || inChunk == chunkProducts || keys.line() - chunkStart.line() >= limits.maxProductRows()
            || keys.position() - chunkStart.position() >= limits.maxProductChars()) {
          starts.add(new ImportChunkPlan.Start(keys.position(), keys.line()));
          chunkStart = keys;
          inChunk = 0;
          activity.heartbeat(products);
        }
        inChunk++;
        if (held != null && !held.add(keys)) {
          long read = products;
          conflicts.stage(id, attempt, held, () -> activity.heartbeat(read));
          held = null;
        }
        if (held == null) {
          batch.add(keys);
          batchChars += keys.chars();
        }
        if (batch.size() == KEY_BATCH || batchChars >= ImportConflicts.COPY_CHARS) {
          conflicts.record(id, attempt, batch);
          batch.clear();
          batchChars = 0;
          activity.heartbeat(products);
        }
      }
      conflicts.record(id, attempt, batch);
      long scanned = products;
      KeyRepeats inMemory = held;
      // The conflicts and the plan in one transaction, by the one attempt that plans: loads read both.
      ImportChunkPlan.Planned planned = transactions.execute(tx -> {
        ImportChunkPlan.Planned p = plan.planOnce(id, starts, scanned, chunkProducts);
        if (p.byThisAttempt()) {
          if (inMemory != null) {
            conflicts.write(id, inMemory, reader.header(ShopifyColumn.SKU), reader.header(ShopifyColumn.HANDLE));
          } else {
            conflicts.resolve(id, attempt, reader.header(ShopifyColumn.SKU), reader.header(ShopifyColumn.HANDLE));
          }
          operations.setTotal(id, scanned);
        }
        return p;
      });
      int slices = Math.max(1, Math.min(settings.parallelLoads(), planned.chunks()));
      return new Scan(planned.products(), reader.ignoredColumns(), null, planned.chunkProducts(), slices);
    } catch (ImportFileException e) {
      return new Scan(0, List.of(), e.getMessage(), 0, 0);
    } catch (DataAccessException e) {
      if (DataRefusals.refusesData(e)) {
        // A value of the file the database refuses: every attempt would meet it again.
        return new Scan(0, List.of(), "the database refuses a value of the file: " + ImportChunkWriter.reason(e), 0, 0);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Loaded loadProducts(LoadRequest request) {
    UUID id = request.operationId();
    int slices = request.slices();
    return tracker.track(id, "loadProducts", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      List<ImportChunkPlan.Chunk> chunks = plan.chunks(id);
      // Heartbeats as it reads too: a cancel may then stop it inside a chunk, before the chunk's commit.
      try (Reader chars = new HeartbeatingReader(ShopifyCsvReader.decode(uploads.open(id)), HEARTBEAT_CHARS, activity::heartbeat)) {
        if (!chunks.isEmpty()) {
          BoundedReader head = new BoundedReader(chars, chunks.get(0).firstChar());
          ShopifyCsvReader header = new ShopifyCsvReader(head, settings.limits());
          head.drain();
          long position = chunks.get(0).firstChar();
          boolean lookUpStored = false; // most products of a large file are new, until a chunk meets a stored one
          for (ImportChunkPlan.Chunk chunk : chunks) {
            if (chunk.index() % slices != request.slice() || chunk.committed()) {
              continue;
            }
            BoundedReader.skip(chars, chunk.firstChar() - position);
            BoundedReader text = new BoundedReader(chars, chunk.endChar() == null ? Long.MAX_VALUE : chunk.endChar() - chunk.firstChar());
            Map<Long, ImportConflicts.Found> found = conflicts.byProductLine(id, chunk.firstLine(), chunk.endLine());
            lookUpStored = writer.commit(id, chunk.index(), read(header.chunk(text, chunk.firstLine()), found), lookUpStored);
            text.drain();
            position = chunk.endChar() == null ? Long.MAX_VALUE : chunk.endChar();
            activity.heartbeat(chunk.index()); // throws when the workflow cancels: between chunks
          }
        }
        return plan.committed(id, request.slice(), slices);
      } catch (ImportFileException e) {
        // The file changed under us or the scan missed something: retrying cannot help.
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ImportFileException.class.getName());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public void discardUpload(DiscardRequest request) {
    UUID id = request.operationId();
    tracker.track(id, "discardUpload", () -> {
      uploads.delete(id);
      conflicts.reset(id);
      plan.clear(id);
    });
  }

  /** Every product of one chunk, with what the scan found added to its errors: a refusal skips it, a warning does not. */
  private static List<ShopifyCsvReader.Result> read(ShopifyCsvReader reader, Map<Long, ImportConflicts.Found> found) {
    List<ShopifyCsvReader.Result> products = new ArrayList<>();
    for (Optional<ShopifyCsvReader.Result> next = reader.next(); next.isPresent(); next = reader.next()) {
      ShopifyCsvReader.Result result = next.get();
      ImportConflicts.Found f = found.get(result.line());
      if (f != null) {
        List<RowError> errors = new ArrayList<>(result.errors());
        errors.addAll(f.refusals());
        errors.addAll(f.warnings());
        errors.sort((a, b) -> Long.compare(a.line(), b.line()));
        result = new ShopifyCsvReader.Result(result.handle(), result.line(), f.refusals().isEmpty() ? result.product() : null, errors);
      }
      products.add(result);
    }
    return products;
  }
}
