package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.common.OperationActivities;
import com.storeops.common.OperationOutcome;
import com.storeops.common.OperationStatus;
import com.storeops.common.RecordedHistories;
import com.storeops.common.RecordsHistory;
import com.storeops.common.WorkerDefaults;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The icon workflow pages through the selection, renders every product once, and starts afresh to bound its history. */
class IconGenerationWorkflowTest {

  private static final long PRODUCTS = 2_100;

  private TestWorkflowEnvironment env;
  private final Set<Long> rendered = Collections.synchronizedSet(new TreeSet<>());
  private final List<OperationActivities.Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
  private volatile long brokenProduct = -1;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("generation");
    worker.registerWorkflowImplementationTypes(WorkerDefaults.options(), IconGenerationWorkflowImpl.class);
    worker.registerActivitiesImplementations(new IconActivities() {
      @Override
      public ProductPage nextProducts(ProductsAfter request) {
        return new ProductPage(LongStream.rangeClosed(request.after() + 1, Math.min(request.after() + request.limit(), PRODUCTS)).boxed().toList());
      }

      @Override
      public Rendered renderProducts(RenderBatch batch) {
        if (batch.productIds().contains(brokenProduct)) {
          throw ApplicationFailure.newNonRetryableFailure("product_icons is gone", "Broken");
        }
        batches.add(batch.productIds().size());
        rendered.addAll(batch.productIds());
        return new Rendered(batch.productIds().size());
      }
    }, (OperationActivities) outcomes::add);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void everyProductIsRenderedOnceAcrossContinueAsNew() {
    UUID operationId = UUID.randomUUID();

    IconGenerationWorkflow.IconResult result = workflow("icons").generate(new IconGenerationWorkflow.IconRun(operationId, 0));

    assertThat(result.lastProductId()).isEqualTo(PRODUCTS);
    assertThat(rendered).hasSize((int) PRODUCTS).first().isEqualTo(1L);
    assertThat(batches).hasSize((int) PRODUCTS / IconGenerationWorkflowImpl.BATCH).allMatch(n -> n == IconGenerationWorkflowImpl.BATCH);
    assertThat(outcomes).containsExactly(new OperationActivities.Outcome(operationId, OperationStatus.COMPLETED, null));
  }

  @Test
  void aRenderFailingForGoodFailsTheOperationAndTheWorkflowWithItsReason() {
    brokenProduct = 1_500;
    UUID operationId = UUID.randomUUID();

    assertThatThrownBy(() -> workflow("icons-failing").generate(new IconGenerationWorkflow.IconRun(operationId, 0)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(OperationOutcome.FAILED_TYPE);
          assertThat(failure.getOriginalMessage()).isEqualTo("product_icons is gone");
        });
    assertThat(outcomes).containsExactly(new OperationActivities.Outcome(operationId, OperationStatus.FAILED, "product_icons is gone"));
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("icon-generation.json", IconGenerationWorkflowImpl.class);
  }

  @RecordsHistory
  void recordHistory() throws Exception {
    workflow("icons-recorded").generate(new IconGenerationWorkflow.IconRun(UUID.fromString("00000000-0000-0000-0000-000000000004"), 2_000));
    RecordedHistories.save(env.getWorkflowClient(), "icons-recorded", "icon-generation.json");
  }

  private IconGenerationWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(IconGenerationWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("generation").setWorkflowId(id).build());
  }
}
