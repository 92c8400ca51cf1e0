package com.storeops.temporal;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which Temporal server storeops talks to: TEMPORAL_ADDRESS when set, else an embedded test server
 * started here before the starter's client connects (the stubs customizer depends on it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemporalConnectionConfig.TemporalSettings.class)
public class TemporalConnectionConfig {

  private static final Logger log = LoggerFactory.getLogger(TemporalConnectionConfig.class);

  /**
   * @param address TEMPORAL_ADDRESS, host:port of a Temporal frontend; blank starts the embedded one
   * @param embeddedPort port of the embedded server (7233, Temporal's usual port; 0 picks a free one)
   * @param uiUrl TEMPORAL_UI_URL, base URL of the Temporal Web UI, for links from the API
   */
  @ConfigurationProperties("storeops.temporal")
  public record TemporalSettings(String address, int embeddedPort, String uiUrl) {
    public boolean embedded() {
      return address == null || address.isBlank();
    }
  }

  @Bean(destroyMethod = "close")
  @Conditional(NoTemporalAddress.class)
  EmbeddedTemporalServer embeddedTemporal(TemporalSettings settings) {
    EmbeddedTemporalServer server = EmbeddedTemporalServer.start(settings.embeddedPort());
    log.warn(
        "TEMPORAL_ADDRESS is not set: started Temporal's embedded test server on {}. It keeps workflow "
            + "state in memory only — a restart forgets running operations — and has no Web UI. "
            + "For durability and the Web UI run a real server (docker compose up, or "
            + "'temporal server start-dev') and set TEMPORAL_ADDRESS=host:7233.",
        server.target());
    return server;
  }

  @Bean
  @Conditional(NoTemporalAddress.class)
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> embeddedTemporalTarget(EmbeddedTemporalServer server) {
    return builder -> builder.setTarget(server.target());
  }

  static class NoTemporalAddress implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String address = context.getEnvironment().getProperty("storeops.temporal.address");
      return address == null || address.isBlank();
    }
  }
}
