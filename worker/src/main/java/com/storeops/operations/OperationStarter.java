package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.shopify.ShopifySettings;
import com.storeops.temporal.TemporalSearchAttributes;
import com.storeops.temporal.TemporalServer;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two steps every operation starts with: its PENDING row (what the API and dashboard list), then
 * its workflow on the type's queue at its origin's priority, with a summary the Temporal Web UI shows
 * and, where the server has them, the search attributes an operator filters by.
 * A workflow Temporal refused to start leaves a FAILED row, never a PENDING one that nothing runs.
 */
@Component
public class OperationStarter {

  static final SearchAttributeKey<String> OPERATION_TYPE = SearchAttributeKey.forKeyword(TemporalSearchAttributes.OPERATION_TYPE);
  static final SearchAttributeKey<String> OPERATION_ID = SearchAttributeKey.forKeyword(TemporalSearchAttributes.OPERATION_ID);
  static final SearchAttributeKey<String> SHOP = SearchAttributeKey.forKeyword(TemporalSearchAttributes.SHOP);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Logger log = LoggerFactory.getLogger(OperationStarter.class);

  private final Operations operations;
  private final WorkflowClient temporal;
  private final TemporalServer server;
  private final String configuredShop;
  private final BooleanSupplier namespaceHasAttributes;
  /** Whether the namespace has our search attributes; asked once, at the first start. */
  private volatile Boolean attributesRegistered;

  @Autowired
  public OperationStarter(Operations operations, WorkflowClient temporal, TemporalServer server, ShopifySettings shopify) {
    this(operations, temporal, server, shopify, () -> namespaceHasAttributes(temporal));
  }

  /** {@code namespaceHasAttributes}: a seam for tests on the test server, which cannot list search attributes. */
  OperationStarter(Operations operations, WorkflowClient temporal, TemporalServer server, ShopifySettings shopify,
      BooleanSupplier namespaceHasAttributes) {
    this.operations = operations;
    this.temporal = temporal;
    this.server = server;
    this.configuredShop = shopify.shop() == null || shopify.shop().isBlank() ? null : shopify.shop();
    this.namespaceHasAttributes = namespaceHasAttributes;
  }

  /** Records a new PENDING operation on {@code key} (what it works on: a file, a shop, …). */
  public Operation record(OperationType type, String key, JsonDocument parameters) {
    return operations.create(type, key, parameters);
  }

  /** Starts {@code operation}'s workflow, asked for by someone: {@code call} invokes the workflow method on the stub it is given. */
  public <W> Operation launch(Operation operation, Class<W> workflowType, String summary, Consumer<W> call) {
    return launch(operation, OperationOrigin.REQUESTED, workflowType, summary, call);
  }

  /** Starts {@code operation}'s workflow at {@code origin}'s priority within its queue. */
  public <W> Operation launch(Operation operation, OperationOrigin origin, Class<W> workflowType, String summary, Consumer<W> call) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setTaskQueue(operation.type().queue().queueName())
        .setWorkflowId(operation.workflowId())
        .setPriority(origin.priority())
        .setStaticSummary(summary)
        .setStaticDetails("storeops operation " + operation.id() + "\n\nGET /api/operations/" + operation.id());
    // A server refuses a start that carries attributes it has not registered: the test server has
    // none, and a real cluster has them only once its operator registered them (README).
    if (server.supportsSearchAttributes() && attributesRegistered()) {
      options.setTypedSearchAttributes(searchAttributes(operation));
    }
    W workflow = temporal.newWorkflowStub(workflowType, options.build());
    try {
      WorkflowClient.start(() -> call.accept(workflow));
    } catch (RuntimeException e) {
      operations.finish(operation.id(), OperationStatus.FAILED,
          "could not start the " + operation.type().slug() + " workflow: " + reason(e));
      throw e;
    }
    return operation;
  }

  SearchAttributes searchAttributes(Operation operation) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(OPERATION_TYPE, operation.type().slug())
        .set(OPERATION_ID, operation.id().toString());
    String shop = shop(operation);
    if (shop != null) {
      attributes.set(SHOP, shop);
    }
    return attributes.build();
  }

  private boolean attributesRegistered() {
    Boolean registered = attributesRegistered;
    if (registered == null) {
      registered = namespaceHasAttributes.getAsBoolean();
      attributesRegistered = registered;
    }
    return registered;
  }

  /** Whether {@code temporal}'s namespace has our attributes as Keywords; false, with a log line, when not or when it cannot say. */
  static boolean namespaceHasAttributes(WorkflowClient temporal) {
    String namespace = temporal.getOptions().getNamespace();
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder(temporal.getWorkflowServiceStubs().getOptions()).validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> custom = operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
      List<String> missing = TemporalSearchAttributes.KEYWORDS.stream()
          .filter(name -> custom.get(name) != IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).toList();
      if (missing.isEmpty()) {
        return true;
      }
      log.warn("Namespace {} has no Keyword search attribute {}: workflows start without OperationType, OperationId and Shop "
          + "until they are registered (temporal operator search-attribute create, see README) and storeops restarts.",
          namespace, missing);
    } catch (RuntimeException e) {
      log.warn("Could not list the search attributes of namespace {} ({}): workflows start without OperationType, "
          + "OperationId and Shop.", namespace, e.getMessage());
    } finally {
      operator.shutdown();
    }
    return false;
  }

  /** The shop the operation names in its parameters (a sync's), else the shop storeops is configured for. */
  private String shop(Operation operation) {
    if (operation.parameters() != null) {
      String named = JSON.readTree(operation.parameters().json()).path("shop").asString(null);
      if (named != null && !named.isBlank()) {
        return named;
      }
    }
    return configuredShop;
  }

  private static String reason(RuntimeException e) {
    return e instanceof io.temporal.client.WorkflowExecutionAlreadyStarted ? "its workflow id is taken" : "Temporal is unreachable";
  }
}
