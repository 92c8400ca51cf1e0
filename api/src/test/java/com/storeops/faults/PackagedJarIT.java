package com.storeops.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.storeops.Http;
import com.storeops.NewerJdk;
import com.storeops.temporal.TemporalCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's run command on a machine with only a JDK: the packaged jar, no DATABASE_URL, no
 * TEMPORAL_ADDRESS. It must serve the pool health and an UP actuator health within 120 s, on the
 * Java it was built with and on a newer one when the machine has it.
 */
class PackagedJarIT {

  // Generous: the test is about what answers, not how fast; a loaded CI machine has taken over 30 s.
  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

  @Test
  void runCommandServesHealthWithEmbeddedTemporalAndPostgres() throws Exception {
    runAndProbe(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void sameJarRunsOnANewerJava() throws Exception {
    Optional<Path> newer = NewerJdk.atLeast(21);
    assumeTrue(newer.isPresent(), "no JDK 21+ under /usr/lib/jvm");
    runAndProbe(newer.get());
  }

  /**
   * The image's training run on the Java the jar was built with (without the AOT flag 17 lacks; the
   * flag's own run is DockerfileBuildIT's): storeops imports a generated file as a form and again as
   * a text/csv body, says each wrote every product, and exits 0 by itself.
   */
  @Test
  void trainingRunImportsItsFileTwiceAndExitsZero() throws Exception {
    Path log = Files.createTempFile("storeops-training-it", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of("target", "storeops.jar").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("DATABASE_URL");
    env.remove("TEMPORAL_ADDRESS");
    env.put("STOREOPS_TRAINING_PRODUCTS", "300");
    env.put("PORT", "0");
    env.put("STOREOPS_TEMPORAL_CLI", "none");
    env.put("STOREOPS_EMBEDDED_TEMPORAL_PORT", "0");
    env.put("STOREOPS_EMBEDDED_PG_DIR", Path.of("target", "it-pg", UUID.randomUUID().toString()).toString());
    Process app = pb.start();
    try {
      assertThat(app.waitFor(STARTUP_LIMIT.toSeconds() * 2, TimeUnit.SECONDS)).as("training run still running:%n%s",
          Files.readString(log)).isTrue();
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(app.exitValue()).as("exit code; output:%n%s", output).isZero();
      assertThat(output).contains("importing 300 products")
          .contains("(multipart/form-data) ended COMPLETED").contains("(text/csv) ended COMPLETED")
          .contains("300 products written, 0 failed, 0 skipped");
      Files.delete(log);
    } finally {
      app.destroyForcibly();
    }
  }

  private static void runAndProbe(Path java) throws Exception {
    int port = freePort();
    Path log = Files.createTempFile("storeops-it", ".log");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", Path.of("target", "storeops.jar").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("DATABASE_URL");
    env.remove("TEMPORAL_ADDRESS");
    env.put("PORT", String.valueOf(port));
    env.put("STOREOPS_EMBEDDED_TEMPORAL_PORT", String.valueOf(freePort()));
    env.put("STOREOPS_TEMPORAL_UI_PORT", String.valueOf(freePort()));
    env.put("STOREOPS_TEMPORAL_DIR", Path.of("target", "it-temporal", UUID.randomUUID().toString()).toString());
    env.put("STOREOPS_EMBEDDED_PG_DIR", Path.of("target", "it-pg", UUID.randomUUID().toString()).toString());
    Instant started = Instant.now();
    Process app = pb.start();
    try {
      Http http = new Http(port);
      JsonNode health = awaitHealth(http, app, started, log);
      Duration took = Duration.between(started, Instant.now());
      System.out.printf("storeops on %s answered UP after %d ms%n", java, took.toMillis());

      assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
      assertThat(health.at("/components/temporal/status").asString()).isEqualTo("UP");
      assertThat(http.get("/api/health/pool").json().at("/pool/max").asInt()).isEqualTo(15);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(output.split("TEMPORAL_ADDRESS is not set", -1)).as("one clear line about the local server").hasSize(2);
      if (TemporalCli.locate(null).isPresent()) {
        assertThat(output).contains("started Temporal's dev server");
      } else {
        assertThat(output).contains("keeps workflow state in memory only");
      }
    } finally {
      app.destroy();
      if (!app.waitFor(45, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
  }

  private static JsonNode awaitHealth(Http http, Process app, Instant started, Path log) throws Exception {
    Instant deadline = started.plus(STARTUP_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      assertThat(app.isAlive()).as("app exited early:%n%s", Files.readString(log)).isTrue();
      try {
        Http.Response r = http.get("/actuator/health");
        if (r.status() == 200 && "UP".equals(r.json().at("/status").asString())) {
          return r.json();
        }
      } catch (IllegalStateException notListeningYet) {
        // the port opens late in startup
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not UP within " + STARTUP_LIMIT + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
