package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
  void privateAndLoopbackAddressesAreRefusedUnlessAllowed() throws Exception {
    ImageDownloads strict = new ImageDownloads(Duration.ofSeconds(2), 50_000, false);

    assertThatThrownBy(() -> strict.fetch(base + "/small.png")).isInstanceOf(IconInputException.class)
        .hasMessageContaining("loopback or private").hasMessageContaining("STOREOPS_ICON_ALLOW_PRIVATE_URLS");
    assertThatThrownBy(() -> strict.checked("http://10.1.2.3/x.png")).hasMessageContaining("private");
    assertThatThrownBy(() -> strict.checked("http://169.254.169.254/latest/meta-data")).hasMessageContaining("private");
    assertThatThrownBy(() -> strict.checked("http://[::1]/x.png")).hasMessageContaining("private");
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
}
