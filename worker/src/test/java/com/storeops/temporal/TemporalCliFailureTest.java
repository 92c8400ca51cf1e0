package com.storeops.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
