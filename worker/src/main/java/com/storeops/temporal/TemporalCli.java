package com.storeops.temporal;

import com.storeops.config.InvalidSettingException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds Temporal's CLI, whose {@code temporal server start-dev} is storeops' durable default server.
 * STOREOPS_TEMPORAL_CLI names it (a path, or a name looked up on PATH); unset, {@code temporal} on
 * PATH is used when there is one; {@code none} turns the dev server off (the Java test server then).
 */
public final class TemporalCli {

  public static final String SETTING = "STOREOPS_TEMPORAL_CLI";
  public static final String NONE = "none";
  private static final String NAME = "temporal";

  private TemporalCli() {}

  /** The CLI to run, or empty for the test-server fallback; a named CLI that is not there is an error. */
  public static Optional<Path> locate(String setting, String path) {
    if (setting != null && setting.strip().equalsIgnoreCase(NONE)) {
      return Optional.empty();
    }
    if (setting == null || setting.isBlank()) {
      return onPath(NAME, path);
    }
    String named = setting.strip();
    if (named.contains(File.separator)) {
      Path cli = Path.of(named);
      if (!Files.isRegularFile(cli) || !Files.isExecutable(cli)) {
        throw new InvalidSettingException(SETTING, "names " + cli + ", which is not an executable file");
      }
      return Optional.of(cli.toAbsolutePath());
    }
    return Optional.of(onPath(named, path).orElseThrow(() ->
        new InvalidSettingException(SETTING, "names '" + named + "', which is not on PATH")));
  }

  /** The CLI from this process's settings and PATH. */
  public static Optional<Path> locate(String setting) {
    return locate(setting, System.getenv("PATH"));
  }

  private static Optional<Path> onPath(String name, String path) {
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
