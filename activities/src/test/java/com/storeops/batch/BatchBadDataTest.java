package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyPushActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad data is not an outage: a change no column can hold is refused before the batch starts, and
 * one that slips past the check (the data changed meanwhile) fails the operation with the reason
 * instead of retrying the same chunk for ever.
 */
@SpringBootTest
class BatchBadDataTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired JdbcClient jdbc;
  @Autowired BatchUpdates updates;
  @Autowired Operations operations;
  @Autowired OperationTracker tracker;

  private String vendor;
  private TestActivityEnvironment env;

  @BeforeEach
  void catalogue() {
    vendor = "bad-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      long id = jdbc.sql("insert into products (handle, title, vendor) values (?, 'T', ?) returning id")
          .param(vendor + "-" + i).param(vendor).query(Long.class).single();
      jdbc.sql("insert into product_variants (product_id, sku, price, inventory_quantity) values (?, ?, ?, ?)")
          .param(id).param(vendor + "-" + i).param(i == 2 ? new java.math.BigDecimal("99999999.99") : java.math.BigDecimal.TEN)
          .param(i == 2 ? 2_000_000_000 : 5).update();
    }
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aPercentThatOverflowsAPriceIsRefusedBeforeTheBatchStarts() {
    assertThatThrownBy(() -> updates.validate(request("{\"price\": {\"percent\": 1000000}}")))
        .isInstanceOfSatisfying(BatchRequestException.class, e -> {
          assertThat(e.field()).isEqualTo("changes.price.percent");
          assertThat(e.getMessage()).contains("1 variant price(s)").contains("9999999999.99");
        });
  }

  @Test
  void anInventoryAddThatOverflowsIsRefusedAndTheDryRunStillAnswers() {
    BatchUpdateRequest request = request("{\"inventory\": {\"add\": 200000000}}");

    assertThat(updates.preview(request).sample()).as("the preview computes the sample without failing").hasSize(3);
    assertThatThrownBy(() -> updates.validate(request))
        .isInstanceOfSatisfying(BatchRequestException.class, e -> assertThat(e.field()).isEqualTo("changes.inventory.add"));
  }

  @Test
  void aChunkThatOverflowsFailsWithTheReasonAndIsNotRetried() {
    UUID id = operations.create(OperationType.BATCH_UPDATE, "bad", new JsonDocument(
        "{\"request\": {\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": {\"price\": {\"percent\": 1000000}}}}")).id();
    BatchUpdateActivities activities = activities();
    BatchUpdateActivities.Apply apply = new BatchUpdateActivities.Apply(id, null);
    activities.snapshot(apply);

    assertThatThrownBy(() -> activities.apply(apply)).isInstanceOfSatisfying(ActivityFailure.class, e -> {
      ApplicationFailure cause = (ApplicationFailure) e.getCause();
      assertThat(cause.isNonRetryable()).as("bad data: retrying cannot help").isTrue();
      assertThat(cause.getType()).isEqualTo("BatchBadData");
      assertThat(cause.getOriginalMessage()).contains("numeric field overflow");
    });
    assertThat(jdbc.sql("select count(*) from batch_update_chunks where operation_id = ? and applied").param(id)
        .query(Long.class).single()).as("the failed chunk rolled back whole").isZero();
  }

  private BatchUpdateRequest request(String changes) {
    return BatchRequests.read(JSON.readTree("{\"filter\": {\"vendor\": \"" + vendor + "\"}, \"changes\": " + changes + "}"));
  }

  private BatchUpdateActivities activities() {
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(Integer.class, details -> {});
    ShopifySettings shop = new ShopifySettings(null, null, null, "2026-10", null, java.time.Duration.ofSeconds(5), 4);
    ShopifyPushActivities noPush = request -> {
      throw new AssertionError("not pushed");
    };
    env.registerActivitiesImplementations(new BatchUpdateActivitiesImpl(updates, operations, tracker, noPush, shop,
        new BatchSettings(1000)));
    return env.newActivityStub(BatchUpdateActivities.class);
  }
}
