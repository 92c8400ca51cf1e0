package com.storeops.imports;

import com.storeops.operations.OperationTracker;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The import's database side. Each chunk of products is written in one transaction together with
 * its row errors and the operation's progress; that progress row is the checkpoint a retry resumes
 * from, so a worker killed mid-file neither loses nor doubles a product, an error or a count.
 */
@Component
public class ImportActivitiesImpl implements ImportActivities {

  private final ImportUploads uploads;
  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final OperationTracker tracker;
  private final int chunkProducts;

  public ImportActivitiesImpl(
      ImportUploads uploads, DataSource dataSource, JdbcClient jdbc, OperationTracker tracker,
      @Value("${storeops.import.chunk-products:500}") int chunkProducts) {
    this.uploads = uploads;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.tracker = tracker;
    this.chunkProducts = chunkProducts;
  }

  @Override
  public Scan scanFile(ScanRequest request) {
    return tracker.track(request.operationId(), "scanFile", () -> {
      jdbc.sql("update operations set status = 'RUNNING', started_at = coalesce(started_at, now()), updated_at = now() where id = ?")
          .param(request.operationId()).update();
      try (InputStream in = uploads.open(request.operationId())) {
        ShopifyCsvReader reader = new ShopifyCsvReader(in);
        long products = 0;
        while (reader.next().isPresent()) {
          products++;
        }
        jdbc.sql("update operations set items_total = ?, updated_at = now() where id = ?")
            .param(products).param(request.operationId()).update();
        return new Scan(products, reader.ignoredColumns(), null);
      } catch (ImportFileException e) {
        return new Scan(0, List.of(), e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public Loaded loadProducts(LoadRequest request) {
    UUID id = request.operationId();
    return tracker.track(id, "loadProducts", () -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      Progress progress = progress(id);
      try (InputStream in = uploads.open(id)) {
        ShopifyCsvReader reader = new ShopifyCsvReader(in);
        for (long skipped = 0; skipped < progress.done && reader.next().isPresent(); skipped++) {
          // already committed by an earlier attempt
        }
        activity.heartbeat(progress.done);
        List<ShopifyCsvReader.Result> chunk = new ArrayList<>(chunkProducts);
        for (Optional<ShopifyCsvReader.Result> next = reader.next(); ; next = reader.next()) {
          next.ifPresent(chunk::add);
          if (chunk.size() == chunkProducts || (next.isEmpty() && !chunk.isEmpty())) {
            progress = commit(id, chunk, progress);
            chunk.clear();
            activity.heartbeat(progress.done); // throws when the workflow cancels: after a commit
          }
          if (next.isEmpty()) {
            return new Loaded(progress.imported, progress.skipped);
          }
        }
      } catch (ImportFileException e) {
        // The file changed under us or the scan missed something: retrying cannot help.
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ImportFileException.class.getName());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public void finish(Finish request) {
    tracker.track(request.operationId(), "finish", () -> {
      jdbc.sql("update operations set status = ?, error = ?, finished_at = now(), updated_at = now() where id = ?")
          .param(request.status()).param(request.error()).param(request.operationId()).update();
      uploads.delete(request.operationId());
    });
  }

  private record Progress(long done, long imported, long skipped) {}

  private Progress progress(UUID id) {
    return jdbc.sql("select items_done, succeeded_count, failed_count from operations where id = ?")
        .param(id)
        .query((rs, n) -> new Progress(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  /** One transaction: the chunk's products, its errors and the new checkpoint. */
  private Progress commit(UUID id, List<ShopifyCsvReader.Result> chunk, Progress before) {
    List<ParsedProduct> valid = chunk.stream().filter(ShopifyCsvReader.Result::valid).map(ShopifyCsvReader.Result::product).toList();
    List<RowError> errors = new ArrayList<>(chunk.stream().flatMap(r -> r.errors().stream()).toList());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        ProductUpserter.Outcome outcome = new ProductUpserter(c).upsert(valid);
        errors.addAll(outcome.errors());
        insertErrors(c, id, errors);
        Progress after = new Progress(
            before.done + chunk.size(), before.imported + outcome.written(),
            before.skipped + (chunk.size() - valid.size()) + outcome.errors().size());
        try (PreparedStatement ps = c.prepareStatement(
            "update operations set items_done = ?, succeeded_count = ?, failed_count = ?, updated_at = now() where id = ?")) {
          ps.setLong(1, after.done);
          ps.setLong(2, after.imported);
          ps.setLong(3, after.skipped);
          ps.setObject(4, id);
          ps.executeUpdate();
        }
        c.commit();
        return after;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("import chunk failed: " + e.getMessage(), e);
    }
  }

  private static void insertErrors(Connection c, UUID id, List<RowError> errors) throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "insert into operation_errors (operation_id, location, field, value, message) values (?, ?, ?, ?, ?)")) {
      for (RowError e : errors) {
        ps.setObject(1, id);
        ps.setString(2, "line " + e.line());
        ps.setString(3, e.column());
        ps.setString(4, e.value());
        ps.setString(5, e.message());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
