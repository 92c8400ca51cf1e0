package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.RecordedHistories;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
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

  private TestWorkflowEnvironment env;
  private final Set<Long> rendered = Collections.synchronizedSet(new TreeSet<>());
  private final List<String> finished = Collections.synchronizedList(new java.util.ArrayList<>());
  private final List<Integer> batches = Collections.synchronizedList(new java.util.ArrayList<>());

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("generation");
    worker.registerWorkflowImplementationTypes(IconGenerationWorkflowImpl.class);
    worker.registerActivitiesImplementations(new IconActivities() {
      @Override
      public List<Long> nextProducts(UUID operationId, long after, int limit) {
        return LongStream.rangeClosed(after + 1, Math.min(after + limit, 2_100)).boxed().toList();
      }

      @Override
      public Rendered renderProducts(RenderBatch batch) {
        batches.add(batch.productIds().size());
        rendered.addAll(batch.productIds());
        return new Rendered(batch.productIds().size());
      }

      @Override
      public String renderProduct(UUID operationId, long productId) {
        rendered.add(productId);
        return "rendered";
      }

      @Override
      public void finish(UUID operationId, String status, String error) {
        finished.add(status);
      }
    });
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void everyProductIsRenderedOnceAcrossContinueAsNew() {
    IconGenerationWorkflow workflow = env.getWorkflowClient().newWorkflowStub(IconGenerationWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("generation").setWorkflowId("icons").build());

    IconGenerationWorkflow.IconResult result = workflow.generate(new IconGenerationWorkflow.IconRequest(UUID.randomUUID(), 0));

    assertThat(result.status()).isEqualTo("COMPLETED");
    assertThat(rendered).hasSize(2_100).first().isEqualTo(1L);
    assertThat(batches).hasSize(2_100 / IconGenerationWorkflowImpl.BATCH).allMatch(n -> n == IconGenerationWorkflowImpl.BATCH);
    assertThat(finished).containsExactly("COMPLETED");
  }

  @Test
  void recordedHistoryReplaysOnTheCurrentCode() throws Exception {
    RecordedHistories.replay("icon-generation-batched.json", IconGenerationWorkflowImpl.class);
  }

  @Test
  void historyFromBeforeBatchesReplaysItsOneProductActivities() throws Exception {
    RecordedHistories.replay("icon-generation.json", IconGenerationWorkflowImpl.class);
  }

  @Test
  void recordHistoryWhenAsked() throws Exception {
    RecordedHistories.assumeRecording();
    IconGenerationWorkflow workflow = env.getWorkflowClient().newWorkflowStub(IconGenerationWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("generation").setWorkflowId("icons-recorded").build());
    workflow.generate(new IconGenerationWorkflow.IconRequest(UUID.fromString("00000000-0000-0000-0000-000000000004"), 2_000));
    RecordedHistories.save(env.getWorkflowClient(), "icons-recorded", "icon-generation-batched.json");
  }
}
