package com.storeops.temporal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a storeops process, run as a separate JVM by the tests: starts the dev server in
 * the directory it is given, prints {@code READY <server pid> <target>}, and stops the server when
 * its stdin closes. Killed with SIGKILL instead, it leaves the server behind as a crashed storeops does.
 */
public final class DevServerOwner {

  public static void main(String[] args) throws Exception {
    DevTemporalServer server = DevTemporalServer.start(
        new DevTemporalServer.Options(Path.of(args[0]), Path.of(args[1]), 0, 0, "default", Duration.ofSeconds(60)));
    System.out.println("READY " + server.pid() + " " + server.target());
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close stdin
    }
    server.close();
  }
}
