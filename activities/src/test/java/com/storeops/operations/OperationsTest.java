package com.storeops.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.Operations.ListKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Operations} owns the {@code operations} row: its statements on a real PostgreSQL, under
 * concurrent transactions, and the listing's keyset order.
 */
@SpringBootTest
class OperationsTest {

  @Autowired Operations operations;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcAggregateTemplate aggregates;
  @Autowired ApplicationContext context;

  @Test
  void noSpringDataRepositoryCanSaveAnOperationBehindOperationsBack() {
    ResolvableType repositoryOfOperations = ResolvableType.forClassWithGenerics(Repository.class, Operation.class, UUID.class);

    assertThat(context.getBeanNamesForType(repositoryOfOperations)).isEmpty();
  }

  @Test
  void newOperationRoundTripsWithItsJsonParameters() {
    Operation created = operations.create(OperationType.IMPORT, "a.csv", new JsonDocument("{\"file\": \"a.csv\"}"));

    Operation found = operations.find(created.id()).orElseThrow();

    assertThat(found.type()).isEqualTo(OperationType.IMPORT);
    assertThat(found.status()).isEqualTo(OperationStatus.PENDING);
    assertThat(found.parameters().json()).isEqualTo("{\"file\": \"a.csv\"}");
    assertThat(operations.parameters(created.id()).json()).isEqualTo("{\"file\": \"a.csv\"}");
    assertThat(found.workflowId()).isEqualTo(created.workflowId()).startsWith("import-");
    assertThat(found.createdAt()).isNotNull();
    assertThat(found.version()).isNotNull();
    assertThat(operations.exists(created.id())).isTrue();
    assertThat(operations.exists(UUID.randomUUID())).isFalse();
  }

  @Test
  void countsAddedByTwoConcurrentTransactionsBothCount() throws Exception {
    UUID id = operations.create(OperationType.IMPORT, "concurrent.csv", JsonDocument.EMPTY).id();
    CountDownLatch bothRead = new CountDownLatch(2);
    CountDownLatch firstCommitted = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // Both transactions have loaded the row before either writes: adding to what each loaded (or
      // saving it back) would lose the first one's counts.
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
        operations.find(id).orElseThrow();
        bothRead.countDown();
        await(bothRead);
        operations.addCounts(id, new OperationCounts(3, 2, 1, 0));
      }), threads).thenRun(firstCommitted::countDown);
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
        operations.find(id).orElseThrow();
        bothRead.countDown();
        await(firstCommitted);
        operations.addCounts(id, new OperationCounts(5, 4, 0, 1));
      }), threads);
      CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    Operation counted = operations.find(id).orElseThrow();
    assertThat(counted.itemsDone()).isEqualTo(8);
    assertThat(counted.succeededCount()).isEqualTo(6);
    assertThat(counted.failedCount()).isEqualTo(1);
    assertThat(counted.skippedCount()).isEqualTo(1);
  }

  @Test
  void countsOfARolledBackTransactionDoNotCount() {
    UUID id = operations.create(OperationType.BATCH_UPDATE, "rollback", JsonDocument.EMPTY).id();

    transactions.executeWithoutResult(tx -> {
      operations.addCounts(id, OperationCounts.succeeded(10));
      tx.setRollbackOnly();
    });

    assertThat(operations.find(id).orElseThrow().itemsDone()).isZero();
  }

  @Test
  void finishRefusesAStatusThatDoesNotEndAnOperation() {
    UUID id = operations.create(OperationType.ICON_GENERATION, "icons", JsonDocument.EMPTY).id();

    assertThatThrownBy(() -> operations.finish(id, OperationStatus.RUNNING, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> operations.finish(id, OperationStatus.PENDING, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(operations.find(id).orElseThrow().status()).isEqualTo(OperationStatus.PENDING);

    operations.finish(id, OperationStatus.FAILED, "Temporal is unreachable");
    Operation failed = operations.find(id).orElseThrow();
    assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Temporal is unreachable");
    assertThat(failed.finishedAt()).isNotNull();
  }

  @Test
  void listPagesNewestFirstByCreatedAtThenId() {
    Instant t = Instant.parse("2040-01-01T00:00:00Z");
    List<Operation> same = List.of(pending(t), pending(t), pending(t));
    List<Operation> older = List.of(pending(t.minusSeconds(1)), pending(t.minusSeconds(1)));
    // PostgreSQL orders uuids by their bytes, which is the order of their hex text.
    Comparator<Operation> byIdDesc = Comparator.comparing((Operation op) -> op.id().toString()).reversed();
    List<UUID> expected = new ArrayList<>();
    same.stream().sorted(byIdDesc).forEach(op -> expected.add(op.id()));
    older.stream().sorted(byIdDesc).forEach(op -> expected.add(op.id()));

    List<UUID> seen = new ArrayList<>();
    ListKey after = new ListKey(t.plusSeconds(1).atOffset(ZoneOffset.UTC), UUID.randomUUID());
    for (int page = 0; page < 3; page++) {
      List<Operation> ops = operations.list(OperationType.IMPORT, OperationStatus.PENDING, after, 2);
      ops.forEach(op -> seen.add(op.id()));
      Operation last = ops.get(ops.size() - 1);
      after = new ListKey(last.createdAt().atOffset(ZoneOffset.UTC), last.id());
    }

    assertThat(seen.subList(0, 5)).containsExactlyElementsOf(expected);
    assertThat(operations.list(OperationType.BATCH_UPDATE, null, new ListKey(t.plusSeconds(1).atOffset(ZoneOffset.UTC), UUID.randomUUID()), 10))
        .extracting(Operation::id).doesNotContainAnyElementsOf(expected);
  }

  private Operation pending(Instant createdAt) {
    UUID id = UUID.randomUUID();
    return aggregates.insert(Operation.pending(id, OperationType.IMPORT, "import-" + id, JsonDocument.EMPTY, createdAt));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other transaction never got there");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
