package com.storeops.imports;

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
import org.springframework.stereotype.Component;

/**
 * The import's database side. The scan counts products, has PostgreSQL find file-wide repeats and
 * plans the chunks; the load runs as parallel slices, each reading only every n-th chunk of the
 * file. Each chunk is written in one transaction together with its row errors, the operation's
 * counts and its mark in the chunk plan; those marks are the checkpoint a retry resumes from, so a
 * worker killed mid-file neither loses nor doubles a product, an error or a count.
 */
@Component
public class ImportActivitiesImpl implements ImportActivities {

  private static final int KEY_BATCH = 20_000;

  private final ImportUploads uploads;
  private final ImportConflicts conflicts;
  private final ImportChunkPlan plan;
  private final ImportChunkWriter writer;
  private final Operations operations;
  private final OperationTracker tracker;
  private final ImportSettings settings;

  public ImportActivitiesImpl(
      ImportUploads uploads, ImportConflicts conflicts, ImportChunkPlan plan, ImportChunkWriter writer,
      Operations operations, OperationTracker tracker, ImportSettings settings) {
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
      return scan(id);
    });
  }

  /** One pass over the file: the product count, the file-wide repeats and the chunk plan; no product written. */
  private Scan scan(UUID id) {
    int chunkProducts = settings.chunkProducts();
    conflicts.reset(id);
    try (InputStream in = uploads.open(id)) {
      ShopifyCsvReader reader = new ShopifyCsvReader(in);
      long products = 0;
      List<ImportChunkPlan.Start> starts = new ArrayList<>();
      List<ShopifyCsvReader.Keys> batch = new ArrayList<>(KEY_BATCH);
      for (Optional<ShopifyCsvReader.Keys> next = reader.nextKeys(); next.isPresent(); next = reader.nextKeys()) {
        ShopifyCsvReader.Keys keys = next.get();
        if (products++ % chunkProducts == 0) {
          starts.add(new ImportChunkPlan.Start(keys.position(), keys.line()));
        }
        batch.add(keys);
        if (batch.size() == KEY_BATCH) {
          conflicts.record(id, batch);
          batch.clear();
        }
      }
      conflicts.record(id, batch);
      conflicts.resolve(id, reader.header(ShopifyColumn.SKU), reader.header(ShopifyColumn.HANDLE));
      plan.write(id, starts);
      operations.setTotal(id, products);
      int slices = Math.max(1, Math.min(settings.parallelLoads(), starts.size()));
      return new Scan(products, reader.ignoredColumns(), null, chunkProducts, slices);
    } catch (ImportFileException e) {
      conflicts.reset(id);
      plan.clear(id);
      return new Scan(0, List.of(), e.getMessage(), 0, 0);
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
      Map<Long, ImportConflicts.Found> found = conflicts.byProductLine(id);
      try (Reader chars = ShopifyCsvReader.decode(uploads.open(id))) {
        if (!chunks.isEmpty()) {
          BoundedReader head = new BoundedReader(chars, chunks.get(0).firstChar());
          ShopifyCsvReader header = new ShopifyCsvReader(head);
          head.drain();
          long position = chunks.get(0).firstChar();
          for (ImportChunkPlan.Chunk chunk : chunks) {
            if (chunk.index() % slices != request.slice() || chunk.committed()) {
              continue;
            }
            BoundedReader.skip(chars, chunk.firstChar() - position);
            BoundedReader text = new BoundedReader(chars, chunk.endChar() == null ? Long.MAX_VALUE : chunk.endChar() - chunk.firstChar());
            writer.commit(id, chunk.index(), read(header.chunk(text, chunk.firstLine()), found));
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
