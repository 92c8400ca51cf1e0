package com.storeops.imports;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationType;
import com.storeops.db.ConnectionWrappingDataSource;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An import slice that dies in the middle of a chunk's transaction while the other slice finishes,
 * then a retry: the file ends up imported exactly once — every product, error and count — because
 * each chunk commits its checkpoint row with its data.
 */
@SpringBootTest
@ActiveProfiles("test")
class ImportResumeTest {

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ImportUploads uploads;
  @Autowired ImportConflicts conflicts;
  @Autowired ImportChunkPlan plan;
  @Autowired JdbcAggregateTemplate aggregates;
  @Autowired Operations operations;
  @Autowired OperationTracker tracker;
  @Autowired TransactionTemplate transactions;
  private final List<TestActivityEnvironment> attempts = new ArrayList<>();

  @AfterEach
  void close() {
    attempts.forEach(TestActivityEnvironment::close);
  }

  @Test
  void importResumesFromItsCheckpointAfterACrashMidChunk() throws Exception {
    String p = "r" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder csv = new StringBuilder("Handle,Title,Variant SKU,Variant Price\n");
    for (int i = 0; i < 10; i++) {
      csv.append(p).append('-').append(i).append(",T").append(i).append(',').append(p).append("-sku-").append(i)
          .append(',').append(i == 7 ? "bad" : "1.00").append('\n');
    }
    UUID id = operations.create(OperationType.IMPORT, "resume.csv", JsonDocument.EMPTY).id();
    uploads.stage(id, new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));

    // Chunks of 3 products: 0-2, 3-5, 6-8 (with the bad price), 9; slice 0 takes chunks 0 and 2.
    // Chunk 0 takes four statements; the crash comes inside chunk 2, between its writes.
    ImportActivities crashing = activities(new CrashAfterStatements(dataSource, 6), 3);
    ImportActivities.Scan scan = crashing.scanFile(new ImportActivities.ScanRequest(id));
    assertThat(scan.slices()).isEqualTo(2);
    assertThatThrownBy(() -> crashing.loadProducts(new ImportActivities.LoadRequest(id, 0, 2, 3)))
        .hasMessageContaining("simulated crash");
    ImportActivities.Loaded other = activities(dataSource, 3).loadProducts(new ImportActivities.LoadRequest(id, 1, 2, 3));
    long committedBeforeRetry = jdbc.sql("select items_done from operations where id = ?").param(id).query(Long.class).single();

    ImportActivities.Loaded retried = activities(dataSource, 3).loadProducts(new ImportActivities.LoadRequest(id, 0, 2, 3));

    assertThat(committedBeforeRetry).as("chunk 0 and slice 1's chunks, not chunk 2").isEqualTo(7);
    assertThat(other).isEqualTo(new ImportActivities.Loaded(4, 0));
    assertThat(retried).as("slice 0's chunks, the one committed before the crash included").isEqualTo(new ImportActivities.Loaded(5, 1));
    assertThat(count("select count(*) from products where handle like ?", p + "%")).isEqualTo(9);
    assertThat(count("select count(*) from product_variants where sku like ?", p + "%")).isEqualTo(9);
    assertThat(jdbc.sql("select count(*) from operation_errors where operation_id = ?").param(id).query(Long.class).single())
        .isEqualTo(1);
    assertThat(jdbc.sql("select items_done || '/' || succeeded_count || '/' || failed_count from operations where id = ?")
        .param(id).query(String.class).single()).isEqualTo("10/9/1");
  }

  /** A fresh activity environment per attempt, as a restarted worker would be. */
  private ImportActivities activities(DataSource ds, int chunk) {
    TestActivityEnvironment attempt = TestActivityEnvironment.newInstance();
    attempts.add(attempt);
    // A chunk's products, errors, mark and counts all go through ds, in the chunk's one transaction.
    JdbcClient client = JdbcClient.create(ds);
    ImportChunkWriter writer = new ImportChunkWriter(new DataSourceTransactionManager(ds), new ProductUpserter(client, ds),
        new ImportChunkPlan(client), new Operations(client, aggregates));
    attempt.registerActivitiesImplementations(new ImportActivitiesImpl(
        uploads, conflicts, plan, writer, operations, tracker, new ImportSettings(chunk, 2, 5_000, 4_000_000, 300_000), transactions));
    return attempt.newActivityStub(ImportActivities.class);
  }

  private long count(String sql, String like) {
    return jdbc.sql(sql).param(like).query(Long.class).single();
  }

  /** Fails the Nth statement prepared through it: a worker dying between two writes of a chunk. */
  private static final class CrashAfterStatements extends ConnectionWrappingDataSource {
    private final AtomicInteger left;

    CrashAfterStatements(DataSource target, int statements) {
      super(target);
      this.left = new AtomicInteger(statements);
    }

    @Override
    protected Connection wrap(Connection c) {
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && left.decrementAndGet() < 0) {
              throw new SQLException("simulated crash");
            }
            try {
              return method.invoke(c, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
