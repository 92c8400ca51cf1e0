package com.storeops.shopify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Shopify Admin GraphQL endpoint on 127.0.0.1 that behaves as the real one does where storeops
 * depends on it: the access token header, a leaky cost bucket with a configurable restore rate,
 * THROTTLED as HTTP 200 with {@code errors[].extensions.code} and no data, {@code extensions.cost}
 * on every answer, cursor pagination with opaque cursors — and faults on demand (5xx, 429 with
 * Retry-After, slow answers, THROTTLED storms). Test code only.
 *
 * <p>Cost model: {@code products(first: N)} requests 2 + N points and costs 2 + the products it
 * returns; any other query costs 1.
 */
public final class FakeShopify implements AutoCloseable {

  public static final String TOKEN = "shpat_fake_token_for_tests";
  private static final Pattern FIRST = Pattern.compile("products\\(first:\\s*\\$?(\\w+)");

  private final HttpServer server;
  private final JsonMapper json = JsonMapper.builder().build();
  private final double maximum;
  private final double restoreRate;
  private double available;
  private long asOfNanos = System.nanoTime();
  private final List<String> products = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger throttledAnswers = new AtomicInteger();
  private double pointsSpent;
  private int forcedThrottles;
  private final List<Integer> forcedStatuses = new ArrayList<>();
  private long delayMillis;
  private int delayedRequests;

  public FakeShopify(double maximum, double restoreRate) {
    this.maximum = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/admin/api/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public ShopifySettings settings(String token) {
    return new ShopifySettings("fake.myshopify.com", token, "2026-10", baseUrl(), Duration.ofSeconds(2), 4);
  }

  public synchronized void addProducts(int count) {
    for (int i = 0; i < count; i++) {
      products.add("Product " + products.size());
    }
  }

  /** The next {@code count} requests get THROTTLED whatever the bucket holds. */
  public synchronized void throttleNext(int count) {
    forcedThrottles += count;
  }

  /** The next requests answer these HTTP statuses (429 with {@code Retry-After: 0.2}). */
  public synchronized void failNext(Integer... statuses) {
    forcedStatuses.addAll(List.of(statuses));
  }

  /** The next {@code count} requests answer after {@code millis}. */
  public synchronized void delayNext(int count, long millis) {
    delayedRequests = count;
    delayMillis = millis;
  }

  public int requests() {
    return requests.get();
  }

  public int throttledAnswers() {
    return throttledAnswers.get();
  }

  public synchronized double pointsSpent() {
    return pointsSpent;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
        send(exchange, 401, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}");
        return;
      }
      JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
      long delay;
      Integer forcedStatus;
      synchronized (this) {
        delay = delayedRequests-- > 0 ? delayMillis : 0;
        forcedStatus = forcedStatuses.isEmpty() ? null : forcedStatuses.remove(0);
      }
      if (delay > 0) {
        Thread.sleep(delay);
      }
      if (forcedStatus != null) {
        if (forcedStatus == 429) {
          exchange.getResponseHeaders().add("Retry-After", "0.2");
        }
        send(exchange, forcedStatus, "{\"errors\":\"fault injected\"}");
        return;
      }
      send(exchange, 200, json.writeValueAsString(answer(request)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized ObjectNode answer(JsonNode request) {
    String query = request.path("query").asString();
    JsonNode variables = request.path("variables");
    int first = first(query, variables);
    double requested = first > 0 ? 2 + first : 1;
    refill();
    ObjectNode root = json.createObjectNode();
    if (requested > maximum) {
      root.putArray("errors").addObject().put("message", "Query cost is " + requested + ", which exceeds the single query max cost limit (" + maximum + ").")
          .putObject("extensions").put("code", "MAX_COST_EXCEEDED").put("cost", requested).put("maxCost", maximum);
      return root;
    }
    if (forcedThrottles > 0 || available < requested) {
      forcedThrottles = Math.max(0, forcedThrottles - 1);
      throttledAnswers.incrementAndGet();
      root.putArray("errors").addObject().put("message", "Throttled").putObject("extensions").put("code", "THROTTLED");
      cost(root, requested, null);
      return root;
    }
    ObjectNode data = root.putObject("data");
    double actual = 1;
    if (first > 0) {
      int start = cursor(variables.path("after").asString(null));
      int end = Math.min(products.size(), start + first);
      ObjectNode connection = data.putObject("products");
      var nodes = connection.putArray("nodes");
      for (int i = start; i < end; i++) {
        nodes.addObject().put("id", "gid://shopify/Product/" + (i + 1)).put("title", products.get(i));
      }
      connection.putObject("pageInfo").put("hasNextPage", end < products.size()).put("endCursor", encode(end));
      actual = 2 + (end - start);
    } else {
      data.putObject("shop").put("name", "Fake shop");
    }
    available -= actual;
    pointsSpent += actual;
    cost(root, requested, actual);
    return root;
  }

  private void cost(ObjectNode root, double requested, Double actual) {
    ObjectNode cost = root.putObject("extensions").putObject("cost");
    cost.put("requestedQueryCost", requested);
    if (actual == null) {
      cost.putNull("actualQueryCost");
    } else {
      cost.put("actualQueryCost", actual);
    }
    cost.putObject("throttleStatus").put("maximumAvailable", maximum).put("currentlyAvailable", Math.floor(available))
        .put("restoreRate", restoreRate);
  }

  private void refill() {
    long now = System.nanoTime();
    available = Math.min(maximum, available + (now - asOfNanos) / 1e9 * restoreRate);
    asOfNanos = now;
  }

  private static int first(String query, JsonNode variables) {
    Matcher m = FIRST.matcher(query);
    if (!m.find()) {
      return 0;
    }
    String value = m.group(1);
    return value.chars().allMatch(Character::isDigit) ? Integer.parseInt(value) : variables.path(value).asInt();
  }

  private static String encode(int position) {
    return Base64.getEncoder().encodeToString(("cursor:" + position).getBytes(StandardCharsets.UTF_8));
  }

  private static int cursor(String after) {
    return after == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(after), StandardCharsets.UTF_8).substring(7));
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
