package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml checked by a Compose implementation's own parser and schema ({@code
 * docker-compose config}, Debian's package), not only by our YAML reading in ComposeFileTest: an
 * unknown key, a wrong condition or a broken anchor fails here. Skips, saying so, where the parser
 * is not installed; CI installs it and fails if this test skipped.
 */
class ComposeValidationTest {

  private static final String PARSER = "docker-compose";

  private static Path root;

  @BeforeAll
  static void findProject() {
    root = DeployFiles.projectRoot();
  }

  @Test
  void composeFileIsValidForTheComposeParser() throws Exception {
    Result result = config(root.resolve("docker-compose.yml"));
    assertThat(result.exitCode()).as("%s config -q:\n%s", PARSER, result.output()).isZero();
  }

  /** The parser is strict enough to be worth running: a misspelt key in our file fails it. */
  @Test
  void aMisspeltKeyFailsTheParser(@TempDir Path dir) throws Exception {
    String compose = Files.readString(root.resolve("docker-compose.yml"));
    assertThat(compose).contains("    stop_grace_period: 45s");
    Path broken = dir.resolve("docker-compose.yml");
    Files.writeString(broken, compose.replace("    stop_grace_period: 45s", "    stop_grace_periods: 45s"));
    Result result = config(broken);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("stop_grace_periods");
  }

  private static Result config(Path composeFile) throws IOException, InterruptedException {
    assumeTrue(installed(), PARSER + " is not installed (apt-get install docker-compose): compose file not validated");
    Path log = Files.createTempFile("compose-config", ".log");
    try {
      Process process = new ProcessBuilder(List.of(PARSER, "-f", composeFile.toString(), "config", "-q"))
          .directory(composeFile.getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", PARSER).isTrue();
      return new Result(process.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static boolean installed() {
    try {
      Process process = new ProcessBuilder(PARSER, "version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private record Result(int exitCode, String output) {}
}
