package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar with the one setting compose uses, {@code STOREOPS_LOG_FORMAT=ecs}: every line
 * the application logs is a JSON object, and the lines of an operation's work carry its id as a
 * field a log search can filter on.
 */
class StructuredLogsIT {

  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(180);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyLogLineIsJsonAndAnOperationsLinesCarryItsId() throws Exception {
    int port = freePort();
    Path log = Files.createTempFile("storeops-ecs", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "storeops.jar").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("DATABASE_URL");
    env.remove("TEMPORAL_ADDRESS");
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("STOREOPS_LOG_FORMAT", "ecs");
    env.put("PORT", String.valueOf(port));
    env.put("STOREOPS_EMBEDDED_TEMPORAL_PORT", String.valueOf(freePort()));
    env.put("STOREOPS_EMBEDDED_PG_DIR", Path.of("target", "it-pg", UUID.randomUUID().toString()).toString());
    Process app = pb.start();
    try {
      Http http = new Http(port);
      awaitUp(http, app, log);
      String csv = "Handle,Title,Vendor,Variant SKU,Variant Price\nlog-a,A,Acme,LOG-A1,10.00\n";
      Http.Response started = http.upload("/api/operations/import", "file", "logs.csv", csv.getBytes(StandardCharsets.UTF_8));
      String id = started.json().get("id").asString();
      assertThat(http.awaitEnded(id).get("status").asString()).isEqualTo("COMPLETED");

      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      assertThat(lines).isNotEmpty();
      List<JsonNode> records = lines.stream().map(StructuredLogsIT::parse).toList();
      assertThat(records).allSatisfy(r -> assertThat(r.has("@timestamp") && r.has("message")).as("%s", r).isTrue());
      assertThat(records)
          .filteredOn(r -> r.path("message").asString().startsWith("Operation " + id))
          .as("the operation's own lines")
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.path("operationId").asString()).isEqualTo(id));
    } finally {
      app.destroy();
      if (!app.waitFor(45, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (RuntimeException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }

  private static void awaitUp(Http http, Process app, Path log) throws Exception {
    Instant deadline = Instant.now().plus(STARTUP_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      assertThat(app.isAlive()).as("app exited early:%n%s", Files.readString(log)).isTrue();
      try {
        Http.Response r = http.get("/actuator/health");
        if (r.status() == 200 && "UP".equals(r.json().at("/status").asString())) {
          return;
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
