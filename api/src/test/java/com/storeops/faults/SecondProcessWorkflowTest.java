package com.storeops.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.temporal.TemporalServer;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The local Temporal (dev server, or the test server without the CLI) speaks the real protocol over TCP: a separate JVM, knowing only the address,
 * runs a workflow and an activity through it, and this process reads the result from the server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SecondProcessWorkflowTest {

  @Autowired TemporalServer temporal;
  @Autowired WorkflowClient client;
  @TempDir Path dir;

  @Test
  void aSecondProcessRunsAWorkflowThroughTheLocalServer() throws Exception {
    String workflowId = "second-process-" + UUID.randomUUID();
    Path log = dir.resolve("child.log");

    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            RemoteWorkflowProcess.class.getName(), temporal.target(), workflowId, "storeops")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean exited = child.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly();
    }

    assertThat(exited).as("child exited; its output:%n%s", read(log)).isTrue();
    assertThat(child.exitValue()).as("child output:%n%s", read(log)).isZero();
    assertThat(read(log)).contains("RESULT Hello, storeops");
    assertThat(client.newUntypedWorkflowStub(workflowId).getResult(String.class)).isEqualTo("Hello, storeops");
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
