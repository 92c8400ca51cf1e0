package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operations;
import com.storeops.operations.OperationTracker;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The scan as Temporal runs it: it heartbeats, and an attempt left running cannot undo the load's work. */
@SpringBootTest(properties = "storeops.import.chunk-products=2")
class ImportScanTest {

  private static final String FILE = "Handle,Title,Variant SKU\na,A,A-1\nb,B,B-1\nc,C,X\nd,D,D-1\ne,E,X\n";

  @Autowired ImportActivitiesImpl imports;
  @Autowired ImportUploads uploads;
  @Autowired ImportChunkPlan plan;
  @Autowired Operations operations;
  @Autowired JdbcClient jdbc;
  @Autowired ImportSettings settings;
  @Autowired ImportConflicts conflicts;
  @Autowired ImportChunkWriter writer;
  @Autowired OperationTracker tracker;
  @Autowired TransactionTemplate transactions;

  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theScanHeartbeatsAsItReadsTheFile() throws Exception {
    UUID id = staged(FILE);
    List<Object> heartbeats = Collections.synchronizedList(new ArrayList<>());
    env.setActivityHeartbeatListener(Long.class, heartbeats::add);
    env.registerActivitiesImplementations(imports);

    ImportActivities.Scan scan = env.newActivityStub(ImportActivities.class).scanFile(new ImportActivities.ScanRequest(id));

    assertThat(scan.products()).isEqualTo(5);
    assertThat(heartbeats).isNotEmpty();
  }

  /**
   * A scan attempt that Temporal gave up on keeps running in its worker (a zombie). Once a load has
   * committed a chunk, that attempt must not replace the plan and with it the chunk's mark — the
   * load's retry would import the chunk again — nor the conflicts the loads read.
   */
  @Test
  void aLateScanAttemptKeepsTheCommittedChunkMarksAndTheConflicts() throws Exception {
    UUID id = staged(FILE);
    env.registerActivitiesImplementations(imports);
    ImportActivities scans = env.newActivityStub(ImportActivities.class);
    scans.scanFile(new ImportActivities.ScanRequest(id));
    assertThat(plan.markCommitted(id, 0, 2, 0)).isTrue(); // a load committed chunk 0

    ImportActivities.Scan late = scans.scanFile(new ImportActivities.ScanRequest(id)); // the zombie attempt finishes now

    List<ImportChunkPlan.Chunk> chunks = plan.chunks(id);
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(0).committed()).isTrue();
    assertThat(plan.markCommitted(id, 0, 2, 0)).as("chunk 0 is not loaded a second time").isFalse();
    assertThat(late.products()).isEqualTo(5);
    assertThat(jdbc.sql("select count(*) from import_conflicts where operation_id = ?").param(id).query(Long.class).single())
        .as("the SKU X warning, once").isEqualTo(1);
  }

  /**
   * A file whose keys are past the bound: the scan hands what it holds to PostgreSQL mid-file and
   * stages the rest there; the conflicts are those of the scan that held them all (and of one that
   * held none), named by the file's own header.
   */
  @Test
  void aFilePastTheBoundFindsTheSameConflictsThroughPostgresql() throws Exception {
    StringBuilder csv = new StringBuilder("Title,URL handle,SKU\n");
    for (int i = 0; i < 40; i++) {
      csv.append("T,p").append(i % 30).append(",S-").append(i % 7).append('\n');
    }

    List<String> inMemory = conflictsOfScan(csv.toString(), settings.keysInMemory());

    assertThat(inMemory).as("10 split products, 7 repeated SKUs").hasSize(17)
        .allSatisfy(row -> assertThat(row).matches("\\d+\\|\\d+\\|(URL handle|SKU)\\|.*"));
    assertThat(conflictsOfScan(csv.toString(), 25)).as("past the bound at product 13").isEqualTo(inMemory);
    assertThat(conflictsOfScan(csv.toString(), 0)).as("PostgreSQL from the start").isEqualTo(inMemory);
  }

  private List<String> conflictsOfScan(String csv, int keysInMemory) throws Exception {
    UUID id = staged(csv);
    ImportSettings bounded = new ImportSettings(settings.chunkProducts(), settings.parallelLoads(),
        settings.maxProductRows(), settings.maxProductChars(), keysInMemory);
    TestActivityEnvironment scanning = TestActivityEnvironment.newInstance();
    try {
      scanning.registerActivitiesImplementations(
          new ImportActivitiesImpl(uploads, conflicts, plan, writer, operations, tracker, bounded, transactions));
      scanning.newActivityStub(ImportActivities.class).scanFile(new ImportActivities.ScanRequest(id));
    } finally {
      scanning.close();
    }
    assertThat(jdbc.sql("select count(*) from import_keys where operation_id = ?").param(id).query(Long.class).single())
        .as("no key left staged").isZero();
    return jdbc.sql("""
            select product_line || '|' || line || '|' || field || '|' || value || '|' || message || '|' || warning
            from import_conflicts where operation_id = ? order by line, field""")
        .param(id).query(String.class).list();
  }

  private UUID staged(String csv) throws Exception {
    UUID id = operations.create(OperationType.IMPORT, "scan-" + UUID.randomUUID(), JsonDocument.EMPTY).id();
    uploads.stage(id, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    return id;
  }
}
