package com.storeops.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files live: the project root, found from the module directory Surefire runs in. */
final class DeployFiles {

  private DeployFiles() {}

  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("Dockerfile"))) {
        return dir;
      }
    }
    throw new AssertionError("docker-compose.yml not found in " + Path.of("").toAbsolutePath() + " or above");
  }
}
