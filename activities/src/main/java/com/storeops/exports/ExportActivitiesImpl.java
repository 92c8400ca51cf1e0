package com.storeops.exports;

import com.storeops.imports.ShopifyColumn.Generation;
import com.storeops.operations.OperationCounts;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes the export file page by page. A retried attempt starts the file and the counts again:
 * a page is cheap to read twice, and one file written whole is simpler to trust than one stitched
 * together from attempts.
 */
@Component
public class ExportActivitiesImpl implements ExportActivities {

  private final CatalogCsvExporter exporter;
  private final ExportFiles files;
  private final Operations operations;
  private final OperationTracker tracker;

  public ExportActivitiesImpl(CatalogCsvExporter exporter, ExportFiles files, Operations operations, OperationTracker tracker) {
    this.exporter = exporter;
    this.files = files;
    this.operations = operations;
    this.tracker = tracker;
  }

  @Override
  public Written writeCsv(WriteRequest request) {
    UUID id = request.operationId();
    Generation generation;
    try {
      generation = Generation.of(request.generation());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), IllegalArgumentException.class.getName());
    }
    return tracker.track(id, "writeCsv", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      operations.markRunning(id);
      operations.setCounts(id, new OperationCounts(0, 0, 0, 0));
      operations.setTotal(id, exporter.countProducts());
      Counting out = new Counting(files.create(id));
      CatalogCsvExporter.Written written = exporter.write(out, generation, products -> {
        operations.addCounts(id, OperationCounts.succeeded(products));
        activity.heartbeat(products);
      });
      return new Written(written.products(), written.rows(), out.bytes);
    });
  }

  private static final class Counting extends FilterOutputStream {
    long bytes;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
    }
  }
}
