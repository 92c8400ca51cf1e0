package com.storeops.temporal;

import static com.storeops.temporal.DevTemporalServer.LOOPBACK;

import com.storeops.config.InvalidSettingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The dev server's ports: the two storeops chooses (gRPC and Web UI) and the race every free port
 * runs. The CLI chooses its other ports itself (HTTP API, metrics, internal services) after ours,
 * and any program may take a port between its choice and the listen; the server then exits saying so.
 */
final class DevServerPorts {

  /** What the server logs when one of its listeners finds its port taken. */
  static final String TAKEN = "address already in use";

  /** How far back from the end of a failed server's log the taken port is looked for: its last words. */
  private static final int LAST_WORDS = 1 << 20;

  private DevServerPorts() {}

  /**
   * A port free to listen on that the OS will not hand to the next program asking for any free port.
   * The CLI asks for several right after, and a port closed plain may be its pick again: then one of
   * its listeners fails. A connection to the port closed from the listening side first leaves it in
   * TIME_WAIT, which keeps Linux from choosing it for a bind to port 0 for a minute, while binding
   * it by number still works (Go listens with SO_REUSEADDR). The CLI reserves its own ports the same way.
   */
  static int free() {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
        Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
        Socket accepted = listener.accept()) {
      return listener.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  /** {@code port}, checked free; a port the user set and another program holds names the setting. */
  static int requireFree(int port, String setting) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return port;
    } catch (IOException e) {
      throw new InvalidSettingException(setting,
          "port " + port + " on " + LOOPBACK + " is taken by another program, so the Temporal dev server cannot "
              + "listen there. Choose a free port, stop that program, or — if it is a Temporal server — set "
              + "TEMPORAL_ADDRESS=" + LOOPBACK + ":" + port + " to use it.");
    }
  }

  /** Where the log ends now: what a server launched next writes comes after it. */
  static long logSize(Path logFile) {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Whether the server that just exited wrote, after {@code from}, that a port it listens on was taken. */
  static boolean lostARace(Path logFile, long from) {
    try (FileChannel log = FileChannel.open(logFile, StandardOpenOption.READ)) {
      long start = Math.max(from, log.size() - LAST_WORDS);
      ByteBuffer written = ByteBuffer.allocate((int) Math.max(0, log.size() - start));
      while (written.hasRemaining() && log.read(written, start + written.position()) > 0) {
        // read to the end
      }
      return new String(written.array(), 0, written.position(), StandardCharsets.UTF_8).contains(TAKEN);
    } catch (IOException e) {
      return false;
    }
  }
}
