package com.storeops.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL started from the binaries Maven brings, for machines with only a JDK. Its data
 * directory persists, so a restart keeps the shop's data; the port is picked free unless set.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;
  private final Path directory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path directory) {
    this.postgres = postgres;
    this.directory = directory;
  }

  public static EmbeddedPostgresServer start(Path directory, int port) {
    try {
      Path dir = directory.toAbsolutePath();
      Files.createDirectories(dir.getParent());
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              // Sized for a laptop and CI; a production database is a real server (DATABASE_URL).
              .setServerConfig("max_connections", "100");
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      log.info(
          "Embedded PostgreSQL on 127.0.0.1:{}, data in {} (kept across restarts). "
              + "Set DATABASE_URL to use your own server.",
          postgres.getPort(), dir);
      return new EmbeddedPostgresServer(postgres, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
    }
  }

  /** The URL the pool connects with; the embedded server trusts local connections. */
  public DatabaseUrl url() {
    return new DatabaseUrl("127.0.0.1", postgres.getPort(), "postgres", "postgres", null, Map.of());
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
