package com.storeops.api.operations;

import com.storeops.operations.Operation;
import com.storeops.temporal.TemporalServer;
import io.temporal.client.WorkflowClient;
import org.springframework.stereotype.Component;

/** Builds {@link OperationView}s with the links this deployment can offer (Temporal UI). */
@Component
public class OperationViews {

  private final String temporalUiUrl;
  private final String namespace;

  // The server's UI, not the setting: the dev server's UI may be on a port picked at start.
  // The namespace the client started the workflows in is the one the UI must show them from.
  OperationViews(TemporalServer temporal, WorkflowClient client) {
    this.temporalUiUrl = temporal.uiUrl();
    this.namespace = client.getOptions().getNamespace();
  }

  public OperationView of(Operation operation) {
    return OperationView.of(operation, temporalUiUrl, namespace);
  }
}
