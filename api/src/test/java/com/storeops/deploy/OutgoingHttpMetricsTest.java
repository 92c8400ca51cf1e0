package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import com.storeops.icons.ImageDownloads;
import com.storeops.shopify.FakeShopify;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.sync.ShopifyBulkDownloads;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outgoing HTTP as Prometheus sees it: a GraphQL call to the (fake) shop, a bulk export file's
 * download and an image download each
 * leave an {@code http_client_requests_seconds} series with the same tag keys — method, a uri
 * template, status, outcome and the host as client_name — on /actuator/prometheus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "storeops.icons.allow-private-urls=true")
@ActiveProfiles("test")
class OutgoingHttpMetricsTest {

  static final FakeShopify SHOP = new FakeShopify(1e9, 1e9);
  static final HttpServer IMAGES = images();

  @DynamicPropertySource
  static void shop(DynamicPropertyRegistry registry) {
    registry.add("storeops.shopify.shop", () -> "fake.myshopify.com");
    registry.add("storeops.shopify.access-token", () -> FakeShopify.TOKEN);
    registry.add("storeops.shopify.base-url", () -> SHOP.baseUrl().toString());
  }

  @AfterAll
  static void stop() {
    SHOP.close();
    IMAGES.stop(0);
  }

  @LocalServerPort int port;
  @Autowired ShopifyGraphql shopify;
  @Autowired ImageDownloads downloads;
  @Autowired ShopifyBulkDownloads bulkDownloads;

  @Test
  void aShopifyCallAndAnImageDownloadAreTimedWithTheSameTags() throws Exception {
    shopify.execute("query { shop { name } }", Map.of(), 1);
    int imagePort = IMAGES.getAddress().getPort();
    assertThat(downloads.fetch("http://127.0.0.1:" + imagePort + "/products/42/front.png")).hasSize(3);

    String scrape = new Http(port).get("/actuator/prometheus").body();
    assertThat(scrape.lines().filter(l -> l.startsWith("http_client_requests_seconds_count{")))
        .as("outgoing exchanges on /actuator/prometheus")
        .anySatisfy(line -> assertThat(line).contains("client_name=\"127.0.0.1\"", "method=\"POST\"", "outcome=\"SUCCESS\"",
            "status=\"200\"", "uri=\"/admin/api/{version}/graphql.json\""))
        .anySatisfy(line -> assertThat(line).contains("client_name=\"127.0.0.1\"", "method=\"GET\"", "outcome=\"SUCCESS\"",
            "status=\"200\"").doesNotContain("front.png"));
  }

  @Test
  void aBulkExportDownloadIsTimedUnderItsTemplateNotItsSignedUrl() throws Exception {
    int imagePort = IMAGES.getAddress().getPort();
    HttpResponse<byte[]> file = bulkDownloads.http().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + imagePort + "/bulk/export.jsonl?signature=secret")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);

    String scrape = new Http(port).get("/actuator/prometheus").body();
    assertThat(scrape.lines().filter(l -> l.startsWith("http_client_requests_seconds_count{")))
        .as("the download on /actuator/prometheus")
        .anySatisfy(line -> assertThat(line).contains("client_name=\"127.0.0.1\"", "method=\"GET\"", "status=\"200\"",
            "uri=\"" + ShopifyBulkDownloads.URI_TEMPLATE + "\""))
        .noneSatisfy(line -> assertThat(line).contains("signature"));
  }

  private static HttpServer images() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, 3);
        exchange.getResponseBody().write(new byte[] {1, 2, 3});
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
