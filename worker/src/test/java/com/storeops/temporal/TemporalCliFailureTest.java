package com.storeops.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the CLI, and what a user sees when it fails: no real CLI needed. */
class TemporalCliFailureTest {

  @TempDir Path dir;

  @Test
  void withoutTheCliOnPathThereIsNone() {
    assertThat(TemporalCli.locate(null, dir.toString())).isEmpty();
    assertThat(TemporalCli.locate("", "")).isEmpty();
  }

  @Test
  void noneTurnsTheDevServerOffEvenWithTheCliOnPath() throws Exception {
    script("temporal", "exit 0");
    assertThat(TemporalCli.locate(null, dir.toString())).contains(dir.resolve("temporal").toAbsolutePath());
    assertThat(TemporalCli.locate("none", dir.toString())).isEmpty();
  }

  @Test
  void aNamedCliThatIsNotThereNamesTheSetting() {
    assertThatThrownBy(() -> TemporalCli.locate(dir.resolve("nope").toString(), ""))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("STOREOPS_TEMPORAL_CLI"));
    assertThatThrownBy(() -> TemporalCli.locate("no-such-temporal", dir.toString()))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.problem()).contains("not on PATH"));
  }

  @Test
  void aCliThatFailsIsReportedWithTheEndOfItsLog() throws Exception {
    Path cli = script("temporal", "echo 'Error: something only the CLI knows' >&2; exit 3");
    Path state = dir.resolve("state");

    assertThatThrownBy(() -> DevTemporalServer.start(
            new DevTemporalServer.Options(cli, state, 0, 0, "default", Duration.ofSeconds(30))))
        .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
          assertThat(e.setting()).isEqualTo("STOREOPS_TEMPORAL_CLI");
          assertThat(e.problem()).contains("exited before it was ready").contains("Error: something only the CLI knows");
        });
    assertThat(state.resolve(DevTemporalServer.PID_FILE)).doesNotExist();
  }

  /**
   * Only a port lost in this launch is worth another: a server that failed otherwise fails the start
   * at once, even when an earlier server on the same state file once lost a port race.
   */
  @Test
  void aServerThatFailsOtherwiseIsLaunchedOnceThoughAnEarlierOneLostAPort() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve(DevTemporalServer.LOG_FILE),
        "{\"level\":\"FATAL\",\"message\":\"listen tcp 127.0.0.1:33083: bind: address already in use\"}\n");
    Path launches = dir.resolve("launches");
    Path cli = script("temporal", "echo run >> '" + launches + "'; echo 'Error: the state file is damaged' >&2; exit 3");

    assertThatThrownBy(() -> DevTemporalServer.start(
            new DevTemporalServer.Options(cli, state, 0, 0, "default", Duration.ofSeconds(30))))
        .isInstanceOfSatisfying(InvalidSettingException.class, e ->
            assertThat(e.problem()).contains("Error: the state file is damaged"));
    assertThat(Files.readAllLines(launches)).hasSize(1);
  }

  /** A server that loses a port race every time is given up on after three launches, not retried forever. */
  @Test
  void aServerThatLosesEveryPortRaceFailsTheStartAfterThreeLaunches() throws Exception {
    Path launches = dir.resolve("launches");
    Path cli = script("temporal", "echo \"$@\" >> '" + launches + "'; "
        + "echo 'listen tcp 127.0.0.1:1: bind: address already in use'; exit 1");

    assertThatThrownBy(() -> DevTemporalServer.start(
            new DevTemporalServer.Options(cli, dir.resolve("state"), 0, 0, "default", Duration.ofSeconds(30))))
        .isInstanceOfSatisfying(InvalidSettingException.class, e ->
            assertThat(e.problem()).contains("address already in use"));
    List<String> commands = Files.readAllLines(launches);
    assertThat(commands).hasSize(3);
    assertThat(commands.stream().map(c -> c.replaceAll(".*--port (\\d+).*", "$1")).distinct())
        .as("each launch on ports of its own").hasSize(3);
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
