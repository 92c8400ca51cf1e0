package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.Operations;
import io.temporal.testing.TestActivityEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A batch of products per activity, and what its retry does after a crash part-way. */
@SpringBootTest
class IconActivitiesTest {

  @Autowired IconActivitiesImpl icons;
  @Autowired Operations operations;
  @Autowired JdbcClient jdbc;

  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void retriedBatchSkipsTheProductsItsHeartbeatsConfirmed() {
    List<Long> products = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      products.add(jdbc.sql("insert into products (handle, title) values (?, 'Batch product') returning id")
          .param("batch-" + UUID.randomUUID()).query(Long.class).single());
    }
    UUID id = operations.create(OperationType.ICON_GENERATION, "3-products",
        new JsonDocument("{\"all\": false, \"force\": false, \"sizes\": [\"pico\", \"thumb\"], \"productIds\": " + products + "}")).id();
    env.registerActivitiesImplementations(icons);
    env.setHeartbeatDetails(1); // the first attempt committed product 1 and said so, then its worker died

    IconActivities.Rendered rendered = env.newActivityStub(IconActivities.class).renderProducts(new IconActivities.RenderBatch(id, products));

    assertThat(rendered.products()).isEqualTo(2);
    assertThat(jdbc.sql("select count(*) from product_icons where product_id = ?").param(products.get(0)).query(Long.class).single())
        .isZero();
    assertThat(jdbc.sql("select count(*) from product_icons where product_id = any(?)").param(products.subList(1, 3).toArray(Long[]::new))
        .query(Long.class).single()).isEqualTo(4);
    assertThat(operations.find(id).orElseThrow().succeededCount()).isEqualTo(2);
  }

  /**
   * Every product committed, but none of the heartbeats that said so reached Temporal (they are
   * throttled, and the worker died): the retry starts from the first product again. Each product
   * still counts once, and is not drawn again.
   */
  @Test
  void aRetryOfProductsCommittedButNeverHeartbeatedCountsEachOnce() {
    List<Long> products = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      products.add(jdbc.sql("insert into products (handle, title) values (?, 'Recounted product') returning id")
          .param("recount-" + UUID.randomUUID()).query(Long.class).single());
    }
    UUID id = operations.create(OperationType.ICON_GENERATION, "3-products",
        new JsonDocument("{\"all\": false, \"force\": true, \"sizes\": [\"pico\"], \"productIds\": " + products + "}")).id();
    env.registerActivitiesImplementations(icons);
    IconActivities stub = env.newActivityStub(IconActivities.class);

    stub.renderProducts(new IconActivities.RenderBatch(id, products)); // the attempt whose heartbeats were lost
    stub.renderProducts(new IconActivities.RenderBatch(id, products)); // its retry, from the first product

    Operation op = operations.find(id).orElseThrow();
    assertThat(op.itemsDone()).isEqualTo(3);
    assertThat(op.succeededCount()).isEqualTo(3);
    assertThat(op.skippedCount()).isZero();
  }
}
