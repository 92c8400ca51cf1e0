package com.storeops.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The GraphQL client against the fake Shopify: pacing under the cost bucket, and every fault kind. */
class ShopifyGraphqlTest {

  private static final String PAGE = "query Products($first: Int!, $after: String) { products(first: $first, after: $after) {"
      + " nodes { id title } pageInfo { hasNextPage endCursor } } }";
  private static final String SHOP = "query { shop { name } }";

  private FakeShopify shopify;

  @AfterEach
  void stop() {
    if (shopify != null) {
      shopify.close();
    }
  }

  @Test
  void concurrentPagingAtTheRestoreRateReceivesNoThrottledAnswer() throws Exception {
    // 100 points/s, a bucket of 200: four readers of 50-product pages (52 points each) share it,
    // 832 points in all, so most of the run is paced by the restore rate.
    shopify = new FakeShopify(200, 100);
    shopify.addProducts(200);
    ShopifyGraphql client = client(FakeShopify.TOKEN);
    ExecutorService readers = Executors.newFixedThreadPool(4);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    List<Future<?>> done = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      done.add(readers.submit(() -> {
        String after = null;
        do {
          JsonNode page = client.execute(PAGE, variables(50, after), 52).path("products");
          page.path("nodes").forEach(n -> seen.add(n.path("id").asString()));
          after = page.path("pageInfo").path("hasNextPage").asBoolean() ? page.path("pageInfo").path("endCursor").asString() : null;
        } while (after != null);
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    readers.shutdown();

    assertThat(seen).hasSize(4 * 200);
    assertThat(shopify.throttledAnswers()).as("THROTTLED answers at a steady pace").isZero();
    assertThat(client.throttledAnswers()).isZero();
  }

  @Test
  void aThrottledStormIsWaitedOutAndTheAnswerStillArrives() {
    shopify = new FakeShopify(1000, 500);
    shopify.addProducts(10);
    shopify.throttleNext(5);
    ShopifyGraphql client = client(FakeShopify.TOKEN);

    JsonNode data = client.execute(PAGE, variables(10, null), 12);

    assertThat(data.path("products").path("nodes")).hasSize(10);
    assertThat(client.throttledAnswers()).isEqualTo(5);
    assertThat(shopify.requests()).isEqualTo(6);
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedAndRetryAfterIsHonoured() {
    shopify = new FakeShopify(1000, 500);
    shopify.failNext(503, 429, 502);
    ShopifyGraphql client = client(FakeShopify.TOKEN);
    long t0 = System.nanoTime();

    JsonNode data = client.execute(SHOP, Map.of(), 1);

    assertThat(data.path("shop").path("name").asString()).isEqualTo("Fake shop");
    assertThat(shopify.requests()).isEqualTo(4);
    assertThat(System.nanoTime() - t0).as("waited at least Retry-After: 0.2").isGreaterThanOrEqualTo(200_000_000L);
  }

  @Test
  void aTimeoutIsRetried() {
    shopify = new FakeShopify(1000, 500);
    shopify.delayNext(1, 6_000);
    ShopifySettings settings = shopify.settings(FakeShopify.TOKEN);
    ShopifyGraphql client = new ShopifyGraphql( // gives up on a request after 2 s
        new ShopifySettings(settings.shop(), settings.accessToken(), null, null, settings.baseUrl(), Duration.ofSeconds(2), 4),
        HttpClient.newHttpClient(), JsonMapper.builder().build());

    assertThat(client.execute(SHOP, Map.of(), 1).path("shop").path("name").asString()).isEqualTo("Fake shop");
    assertThat(shopify.requests()).isEqualTo(2);
  }

  @Test
  void persistentServerErrorsEndInARetryableFailureForTemporal() {
    shopify = new FakeShopify(1000, 500);
    shopify.failNext(500, 500, 500, 500);
    ShopifyGraphql client = client(FakeShopify.TOKEN);

    assertThatThrownBy(() -> client.execute(SHOP, Map.of(), 1))
        .isInstanceOfSatisfying(ShopifyException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("HTTP 500").hasMessageContaining("4 attempts");
  }

  @Test
  void anAnswerThatIsNotJsonIsRetriedLikeAServerError() {
    shopify = new FakeShopify(1000, 500);
    shopify.garbageNext(1); // the very first answer: the bucket is still probing for the shop's figures
    ShopifyGraphql client = client(FakeShopify.TOKEN);

    JsonNode data = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> client.execute(SHOP, Map.of(), 1));

    assertThat(data.path("shop").path("name").asString()).isEqualTo("Fake shop");
    assertThat(shopify.requests()).isEqualTo(2);
  }

  @Test
  void answersThatStayUnparsableEndInARetryableFailure() {
    shopify = new FakeShopify(1000, 500);
    shopify.garbageNext(4);
    ShopifyGraphql client = client(FakeShopify.TOKEN);

    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> client.execute(SHOP, Map.of(), 1))
        .isInstanceOfSatisfying(ShopifyException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("not a GraphQL answer").hasMessageContaining("4 attempts"));
  }

  @Test
  void afterAnUnparsableFirstAnswerLaterCallsAreNotWedged() {
    shopify = new FakeShopify(1000, 500);
    shopify.garbageNext(4);
    ShopifyGraphql client = client(FakeShopify.TOKEN);
    catchThrowable(() -> client.execute(SHOP, Map.of(), 1));

    // The first request was the bucket's probe; its answer, garbage, must not leave it out for good.
    JsonNode data = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> client.execute(SHOP, Map.of(), 1));

    assertThat(data.path("shop").path("name").asString()).isEqualTo("Fake shop");
  }

  @Test
  void aCallWaitingOutBackoffsRunsTheCallersHeartbeat() {
    shopify = new FakeShopify(1000, 500);
    shopify.failNext(503, 503, 503);
    ShopifyGraphql client = client(FakeShopify.TOKEN);
    AtomicInteger beats = new AtomicInteger();

    client.execute(SHOP, Map.of(), 1, beats::incrementAndGet);

    assertThat(beats.get()).as("at least once in each of the three backoffs").isGreaterThanOrEqualTo(3);
  }

  @Test
  void aRefusedTokenFailsAtOnceWithoutRetryingOrShowingTheToken() {
    shopify = new FakeShopify(1000, 500);
    ShopifyGraphql client = client("shpat_wrong_secret_value");

    assertThatThrownBy(() -> client.execute(SHOP, Map.of(), 1))
        .isInstanceOfSatisfying(ShopifyException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("fake.myshopify.com").hasMessageContaining("HTTP 401").hasMessageContaining("SHOPIFY_ACCESS_TOKEN")
        .hasMessageNotContaining("shpat_wrong_secret_value");
    assertThat(shopify.requests()).isEqualTo(1);
  }

  @Test
  void aQueryCostingMoreThanTheBucketIsNotRetried() {
    shopify = new FakeShopify(100, 50);
    ShopifyGraphql client = client(FakeShopify.TOKEN);

    assertThatThrownBy(() -> client.execute(PAGE, variables(250, null), 252))
        .isInstanceOfSatisfying(ShopifyException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("fewer items per page");
    assertThat(shopify.requests()).isEqualTo(1);
  }

  @Test
  void settingsNeverPrintTheToken() {
    ShopifySettings settings = new ShopifySettings("a.myshopify.com", "shpat_secret", "whsec", null, null, null, null);

    assertThat(settings.toString()).doesNotContain("shpat_secret").doesNotContain("whsec").contains("accessToken=(set)");
    assertThat(settings.graphqlEndpoint()).hasToString("https://a.myshopify.com/admin/api/2026-10/graphql.json");
  }

  @Test
  void anAnswerThatNeverEndsIsATimeoutNotAStuckAttempt() throws Exception {
    // Headers at once, then the body one byte a second, forever: HttpRequest.timeout covers only
    // the wait for headers, so without a deadline of its own the call would never return.
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread dripper = new Thread(() -> drip(server));
      dripper.setDaemon(true);
      dripper.start();
      ShopifySettings settings = new ShopifySettings("drip.myshopify.com", "shpat_token", null, null,
          URI.create("http://127.0.0.1:" + server.getLocalPort()), Duration.ofSeconds(1), 2);
      ShopifyGraphql client = new ShopifyGraphql(settings, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
          JsonMapper.builder().build());

      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> client.execute(SHOP, Map.of(), 1))
          .isInstanceOfSatisfying(ShopifyException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("drip.myshopify.com").hasMessageContaining("2 attempts"));
      dripper.interrupt();
    }
  }

  private static void drip(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.getInputStream().read(new byte[8192]);
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{".getBytes());
        out.flush();
        for (int i = 0; i < 120; i++) {
          Thread.sleep(1000);
          out.write(' ');
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the client gave up, or the test is over
      }
    }
  }

  private ShopifyGraphql client(String token) {
    return new ShopifyGraphql(shopify.settings(token), HttpClient.newHttpClient(), JsonMapper.builder().build());
  }

  private static Map<String, Object> variables(int first, String after) {
    Map<String, Object> v = new HashMap<>();
    v.put("first", first);
    v.put("after", after);
    return v;
  }
}
