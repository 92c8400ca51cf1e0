package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The download rules: http(s) only, no private addresses unless allowed, redirects re-checked, bounded size. */
class ImageDownloadsTest {

  private HttpServer server;
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/small.png", exchange -> {
      byte[] body = new byte[100];
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/huge.png", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
      for (int i = 0; i < 100; i++) {
        exchange.getResponseBody().write(new byte[10_000]);
      }
      exchange.close();
    });
    server.createContext("/drip.png", exchange -> {
      // Headers at once, then a byte a quarter second: each read arrives well inside the timeout.
      exchange.sendResponseHeaders(200, 0);
      try {
        for (int i = 0; i < 240 && !Thread.currentThread().isInterrupted(); i++) {
          exchange.getResponseBody().write(0);
          exchange.getResponseBody().flush();
          Thread.sleep(250);
        }
      } catch (InterruptedException | java.io.IOException e) {
        // the client gave up, or the test is over
      }
      exchange.close();
    });
    server.createContext("/hop", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/small.png");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anImageThatDripsIsCutOffAtTwiceTheTimeout() {
    ImageDownloads downloads = new ImageDownloads(Duration.ofSeconds(1), 50_000, true);
    long t0 = System.nanoTime();

    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> downloads.fetch(base + "/drip.png"))
        .isInstanceOf(IconInputException.class).hasMessageContaining("not done within 2 s"));

    assertThat(System.nanoTime() - t0).as("cut at the deadline, not when the server stopped").isLessThan(20_000_000_000L);
  }

  @Test
  void privateAndLoopbackAddressesAreRefusedUnlessAllowed() throws Exception {
    ImageDownloads strict = new ImageDownloads(Duration.ofSeconds(2), 50_000, false);

    assertThatThrownBy(() -> strict.fetch(base + "/small.png")).isInstanceOf(IconInputException.class)
        .hasMessageContaining("loopback or private").hasMessageContaining("STOREOPS_ICON_ALLOW_PRIVATE_URLS");
    assertThatThrownBy(() -> strict.fetch("http://10.1.2.3/x.png")).hasMessageContaining("private");
    assertThatThrownBy(() -> strict.fetch("http://169.254.169.254/latest/meta-data")).hasMessageContaining("private");
    assertThatThrownBy(() -> strict.fetch("http://[::1]/x.png")).hasMessageContaining("private");
    assertThat(ImageDownloads.isPrivate(InetAddress.getByName("fd00::1"))).isTrue();
    assertThat(ImageDownloads.isPrivate(InetAddress.getByName("100.64.0.1"))).isTrue();
    assertThat(ImageDownloads.isPrivate(InetAddress.getByName("93.184.216.34"))).isFalse();

    assertThat(new ImageDownloads(Duration.ofSeconds(2), 50_000, true).fetch(base + "/small.png")).hasSize(100);
  }

  @Test
  void onlyHttpAndHttpsAreFetched() {
    ImageDownloads downloads = new ImageDownloads(Duration.ofSeconds(2), 50_000, true);

    assertThatThrownBy(() -> downloads.fetch("file:///etc/passwd")).hasMessageContaining("only http and https");
    assertThatThrownBy(() -> downloads.fetch("ftp://example.com/x.png")).hasMessageContaining("only http and https");
    assertThatThrownBy(() -> downloads.fetch("not a url")).isInstanceOf(IconInputException.class);
  }

  @Test
  void redirectsAreFollowedAndCheckedAgain() throws Exception {
    assertThat(new ImageDownloads(Duration.ofSeconds(2), 50_000, true).fetch(base + "/hop")).hasSize(100);
  }

  @Test
  void aDownloadLargerThanTheLimitIsCutOff() {
    assertThatThrownBy(() -> new ImageDownloads(Duration.ofSeconds(2), 50_000, true).fetch(base + "/huge.png"))
        .isInstanceOf(IconInputException.class).hasMessageContaining("50000 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.1", "0.255.255.255", "198.18.0.1", "198.19.255.254", "240.0.0.1", "255.255.255.255",
      "64:ff9b::a00:1", "64:ff9b::5db8:d822", "2002:c0a8:101::1", "2002:5db8:d822::1", "::7f00:1", "::a00:1",
      "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
  void reservedBenchmarkNat64SixToFourAndEmbeddedIpv4RangesAreRefused(String address) throws Exception {
    assertThat(ImageDownloads.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "198.20.0.1", "223.255.255.1", "2606:4700::1111", "2a00:1450::1"})
  void publicAddressesStayAllowed(String address) throws Exception {
    assertThat(ImageDownloads.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
  }

  /**
   * DNS rebinding: the name answers an allowed address when it is checked and a refused one on every
   * later lookup. The download must connect to the address that was checked — here 127.0.0.1 plays
   * the public server and 127.0.0.2, on the same port, the internal one.
   */
  @Test
  void aRebindingNameIsFetchedFromTheAddressThatWasChecked() throws Exception {
    int port = server.getAddress().getPort();
    HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", port), 0);
    internal.createContext("/small.png", exchange -> {
      byte[] body = "internal secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    internal.start();
    try {
      InetAddress checked = InetAddress.getByName("127.0.0.1");
      InetAddress internalAddress = InetAddress.getByName("127.0.0.2");
      java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
      ImageDownloads.Resolver rebinding = host -> {
        assertThat(host).isEqualTo("images.rebind.test");
        return new InetAddress[] {lookups.getAndIncrement() == 0 ? checked : internalAddress};
      };
      ImageDownloads downloads =
          new ImageDownloads(Duration.ofSeconds(2), 50_000, internalAddress::equals, rebinding);

      byte[] image = downloads.fetch("http://images.rebind.test:" + port + "/small.png");

      assertThat(image).hasSize(100); // the checked server's image, not the internal one's secret
      assertThat(lookups).hasValue(1);
      // The same resolver answering the refused address first: the check runs on what is connected to.
      ImageDownloads rebound = new ImageDownloads(Duration.ofSeconds(2), 50_000, internalAddress::equals, rebinding);
      assertThatThrownBy(() -> rebound.fetch("http://images.rebind.test:" + port + "/small.png"))
          .isInstanceOf(IconInputException.class).hasMessageContaining("127.0.0.2");
    } finally {
      internal.stop(0);
    }
  }
}
