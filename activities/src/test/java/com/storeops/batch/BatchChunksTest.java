package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyPushActivities;
import io.temporal.testing.TestActivityEnvironment;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chunks applied exactly once when two attempts of the apply activity overlap: Temporal starts a
 * retry once an attempt's heartbeat times out, and the stale attempt may still be committing.
 */
@SpringBootTest
class BatchChunksTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PRODUCTS = 5;
  private static final int CHUNK = 2;

  @Autowired JdbcClient jdbc;
  @Autowired BatchUpdates updates;
  @Autowired Operations operations;
  @Autowired OperationTracker tracker;
  @Autowired TransactionTemplate transactions;

  private String vendor;
  private TestActivityEnvironment env;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @BeforeEach
  void catalogue() {
    vendor = "chunks-" + UUID.randomUUID();
    for (int i = 0; i < PRODUCTS; i++) {
      long id = jdbc.sql("insert into products (handle, title, vendor) values (?, 'T', ?) returning id")
          .param(vendor + "-" + i).param(vendor).query(Long.class).single();
      jdbc.sql("insert into product_variants (product_id, sku, price) values (?, ?, 10.00)").param(id).param(vendor + "-" + i).update();
    }
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aRetryThatMeetsAChunkTheStaleAttemptCommittedGoesOnWithTheRest() throws Exception {
    String request = "{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"price\": {\"add\": 1}}}";
    UUID id = operations.create(OperationType.BATCH_UPDATE, "chunks", new JsonDocument("{\"request\": " + request + "}")).id();
    BatchUpdateActivities activities = activities();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(id, null);
    activities.snapshot(apply);

    // The stale attempt has changed the first chunk and not committed yet.
    CountDownLatch changed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    Future<?> stale = threads.submit(() -> transactions.executeWithoutResult(tx -> {
      updates.applyNext(id, BatchRequests.read(JSON.readTree(request)).changes(), -1);
      changed.countDown();
      try {
        commit.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    assertThat(changed.await(60, TimeUnit.SECONDS)).isTrue();
    Future<BatchUpdateActivities.Applied> retry = threads.submit(() -> activities.apply(apply));
    await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'").query(Long.class).single() > 0);
    commit.countDown();
    stale.get(60, TimeUnit.SECONDS);
    retry.get(60, TimeUnit.SECONDS);

    assertThat(jdbc.sql("select price from product_variants v join products p on p.id = v.product_id where p.vendor = ?")
        .param(vendor).query(BigDecimal.class).list()).as("every price raised once").hasSize(PRODUCTS)
        .allSatisfy(price -> assertThat(price).isEqualByComparingTo("11.00"));
    assertThat(operations.find(id).orElseThrow().itemsDone()).as("each product counted once").isEqualTo(PRODUCTS);
  }

  /**
   * A change another writer (a sync, an import, a webhook) commits while the chunk's statement
   * waits for its row: the revert must put back the value the batch replaced, not the one before.
   */
  @Test
  void aRevertPutsBackTheValueTheChunkReplacedWhenAWriterCommittedWhileItWaited() throws Exception {
    String request = "{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"price\": {\"add\": 1}}}";
    UUID id = operations.create(OperationType.BATCH_UPDATE, "chunks", new JsonDocument("{\"request\": " + request + "}")).id();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(id, null);
    activities().snapshot(apply);
    var changes = BatchRequests.read(JSON.readTree(request)).changes();

    // A sync has written the first product's price and not committed yet.
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    Future<?> sync = threads.submit(() -> transactions.executeWithoutResult(tx -> {
      jdbc.sql("update product_variants set price = 20.00 where sku = ?").param(vendor + "-0").update();
      written.countDown();
      try {
        commit.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    assertThat(written.await(60, TimeUnit.SECONDS)).isTrue();
    Future<?> chunk = threads.submit(() -> updates.applyNext(id, changes, -1));
    await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'").query(Long.class).single() > 0);
    commit.countDown();
    sync.get(60, TimeUnit.SECONDS);
    chunk.get(60, TimeUnit.SECONDS);
    assertThat(price(vendor + "-0")).as("the batch added 1 to the synced price").isEqualByComparingTo("21.00");

    UUID revert = operations.create(OperationType.BATCH_UPDATE, "revert", new JsonDocument("{}")).id();
    while (updates.revertNext(revert, id, changes, -1).isPresent()) {
      // every applied chunk
    }
    assertThat(price(vendor + "-0")).as("the revert puts back what the batch replaced: the synced 20.00").isEqualByComparingTo("20.00");
  }

  private BigDecimal price(String sku) {
    return jdbc.sql("select price from product_variants where sku = ?").param(sku).query(BigDecimal.class).single();
  }

  private BatchUpdateActivities activities() {
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(Integer.class, details -> {});
    ShopifySettings shop = new ShopifySettings(null, null, null, "2026-10", null, Duration.ofSeconds(5), 4);
    ShopifyPushActivities noPush = request -> {
      throw new AssertionError("not pushed");
    };
    env.registerActivitiesImplementations(new BatchUpdateActivitiesImpl(updates, operations, tracker, noPush, shop,
        new BatchSettings(CHUNK)));
    return env.newActivityStub(BatchUpdateActivities.class);
  }
}
