package com.storeops.temporal;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Actuator health of the Temporal frontend this process uses (gRPC health check). */
@Component("temporal")
class TemporalHealthIndicator extends AbstractHealthIndicator {

  private final WorkflowServiceStubs stubs;

  TemporalHealthIndicator(WorkflowServiceStubs stubs) {
    super("Temporal health check failed");
    this.stubs = stubs;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    HealthCheckResponse response = stubs.healthCheck();
    builder
        .status(response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? "UP" : "DOWN")
        .withDetail("target", stubs.getOptions().getTarget())
        .withDetail("status", response.getStatus().name());
  }
}
