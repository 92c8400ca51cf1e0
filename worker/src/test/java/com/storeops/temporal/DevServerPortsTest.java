package com.storeops.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The ports storeops chooses for the dev server are kept from the CLI's own choices, yet usable. */
class DevServerPortsTest {

  // Java's sockets are IPv6 ones speaking IPv4 through mapped addresses where the machine has IPv6.
  private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String TIME_WAIT = "06";

  @Test
  void aChosenPortIsLeftInTimeWaitSoTheOsDoesNotChooseItAgain() throws Exception {
    assumeTrue(Files.isReadable(TCP_TABLES.get(0)), "Linux's TCP tables are needed to see the port's state");
    int port = DevServerPorts.free();

    String loopback = String.format(Locale.ROOT, "0100007F:%04X", port);
    List<String> sockets = new ArrayList<>();
    for (Path table : TCP_TABLES) {
      if (Files.isReadable(table)) {
        sockets.addAll(Files.readAllLines(table));
      }
    }
    assertThat(sockets)
        .as("a socket on 127.0.0.1:%d in TIME_WAIT", port)
        .anySatisfy(line -> {
          String[] fields = line.trim().split("\\s+");
          assertThat(fields[1]).endsWith(loopback);
          assertThat(fields[3]).isEqualTo(TIME_WAIT);
        });
  }

  @Test
  void aChosenPortCanBeListenedOnByNumber() throws Exception {
    int port = DevServerPorts.free();
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(server.getLocalPort()).isEqualTo(port);
    }
  }
}
