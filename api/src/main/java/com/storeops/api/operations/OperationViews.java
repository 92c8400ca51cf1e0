package com.storeops.api.operations;

import com.storeops.operations.Operation;
import com.storeops.temporal.TemporalConnectionConfig.TemporalSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Builds {@link OperationView}s with the links this deployment can offer (Temporal UI). */
@Component
public class OperationViews {

  private final String temporalUiUrl;
  private final String namespace;

  OperationViews(TemporalSettings temporal, @Value("${spring.temporal.namespace:default}") String namespace) {
    this.temporalUiUrl = temporal.uiUrl();
    this.namespace = namespace;
  }

  public OperationView of(Operation operation) {
    return OperationView.of(operation, temporalUiUrl, namespace);
  }
}
