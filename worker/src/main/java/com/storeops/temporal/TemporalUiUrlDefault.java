package com.storeops.temporal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Fills in TEMPORAL_UI_URL with the dev server's Web UI when storeops will start that server (no
 * TEMPORAL_ADDRESS, a CLI found, a fixed UI port). Done in the environment, before any bean reads
 * the setting, so every reader of {@code storeops.temporal.ui-url} sees the same URL.
 */
class TemporalUiUrlDefault implements EnvironmentPostProcessor, Ordered {

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    String address = environment.getProperty("storeops.temporal.address");
    String uiUrl = environment.getProperty("storeops.temporal.ui-url");
    Integer uiPort = environment.getProperty("storeops.temporal.ui-port", Integer.class);
    if ((address != null && !address.isBlank()) || (uiUrl != null && !uiUrl.isBlank()) || uiPort == null || uiPort == 0) {
      return;
    }
    boolean devServer;
    try {
      devServer = TemporalCli.locate(environment.getProperty("storeops.temporal.cli")).isPresent();
    } catch (RuntimeException invalid) {
      return; // the same setting fails the start with its message when the server is started
    }
    if (devServer) {
      environment.getPropertySources().addFirst(new MapPropertySource(
          "storeops-temporal-ui-url", Map.of("storeops.temporal.ui-url", "http://127.0.0.1:" + uiPort)));
    }
  }

  @Override
  public int getOrder() {
    // After application.yml and the environment variables are in.
    return Ordered.LOWEST_PRECEDENCE;
  }
}
