package com.storeops.shopify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shop's Admin GraphQL API, paced by its cost bucket. One instance per shop and process: all
 * concurrent requests share one {@link CostBucket}, so they wait before sending what the bucket
 * cannot pay instead of collecting THROTTLED answers.
 *
 * <ul>
 *   <li>THROTTLED (HTTP 200, {@code errors[].extensions.code}, no data, no Retry-After): the bucket
 *       takes the server's figures and the retry waits (requested − available) / restoreRate.
 *   <li>HTTP 429 (honouring {@code Retry-After}, which may be fractional, up to 30 s), 5xx, timeouts
 *       and a 200 whose body is not a GraphQL answer: retried with exponential backoff up to
 *       {@code maxAttempts}, then a retryable failure for Temporal.
 *   <li>401/403, MAX_COST_EXCEEDED and any other GraphQL error: a non-retryable failure at once.
 * </ul>
 */
public final class ShopifyGraphql {

  private static final int MAX_THROTTLED_RETRIES = 100;

  private final ShopifySettings settings;
  private final HttpClient http;
  private final JsonMapper json;
  private final CostBucket bucket;
  // What each query asked for last time: the next one reserves that before it is sent.
  private final Map<String, Double> requestedCosts = new ConcurrentHashMap<>();
  private final AtomicLong throttledAnswers = new AtomicLong();

  public ShopifyGraphql(ShopifySettings settings, HttpClient http, JsonMapper json) {
    if (settings.shop() == null || settings.shop().isBlank() || settings.accessToken() == null || settings.accessToken().isBlank()) {
      throw new IllegalArgumentException("SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN must both be set to talk to Shopify");
    }
    this.settings = settings;
    this.http = http;
    this.json = json;
    // A probe is one exchange, over within twice the request timeout (see send): an answer that has
    // not come back by three times it never will.
    this.bucket = new CostBucket(System::nanoTime, settings.requestTimeout().multipliedBy(3).toNanos());
  }

  /** Runs a query (or mutation) and answers its {@code data}; {@code estimatedCost} paces the first call. */
  public JsonNode execute(String query, Map<String, Object> variables, double estimatedCost) {
    return execute(query, variables, estimatedCost, () -> {});
  }

  /**
   * As {@link #execute(String, Map, double)}; {@code waiting} runs at least once a second while the
   * call waits for the bucket or a backoff — an activity heartbeats its checkpoint there, so a long
   * wait is seen alive and a heartbeat Temporal refuses (the attempt timed out, or was cancelled)
   * ends it.
   */
  public JsonNode execute(String query, Map<String, Object> variables, double estimatedCost, Runnable waiting) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("query", query);
    payload.put("variables", variables);
    HttpRequest request = HttpRequest.newBuilder(settings.graphqlEndpoint())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json")
        .header("X-Shopify-Access-Token", settings.accessToken())
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(payload)))
        .build();
    int failures = 0;
    int throttled = 0;
    while (true) {
      double cost = requestedCosts.getOrDefault(query, estimatedCost);
      for (long wait = bucket.tryReserve(cost); wait > 0; wait = bucket.tryReserve(cost)) {
        pause(wait, waiting);
      }
      HttpResponse<String> response;
      try {
        response = send(request);
      } catch (IOException e) { // includes HttpTimeoutException
        bucket.unanswered();
        pause(backoff(++failures, e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty()), waiting);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShopifyException("interrupted while talking to " + settings.shop(), true);
      }
      int status = response.statusCode();
      if (status != 200) {
        bucket.unanswered();
      }
      if (status == 401 || status == 403) {
        throw new ShopifyException("Shopify refused the access token for " + settings.shop() + " (HTTP " + status
            + "): check SHOPIFY_ACCESS_TOKEN and the app's access scopes", false);
      }
      if (status == 429 || status >= 500) {
        pause(backoff(++failures, "HTTP " + status, response.headers().firstValue("Retry-After")), waiting);
        continue;
      }
      if (status != 200) {
        throw new ShopifyException("HTTP " + status + " from " + settings.shop() + ": " + abbreviate(response.body()), false);
      }
      JsonNode root = graphqlAnswer(response.body());
      if (root == null) { // a proxy's error page, a truncated body: as retryable as a 502
        bucket.unanswered();
        pause(backoff(++failures, "an HTTP 200 that is not a GraphQL answer (" + abbreviate(response.body(), 80) + ")", Optional.empty()),
            waiting);
        continue;
      }
      JsonNode costs = root.path("extensions").path("cost");
      JsonNode bucketStatus = costs.path("throttleStatus");
      double requested = costs.path("requestedQueryCost").asDouble(cost);
      requestedCosts.put(query, requested);
      if (!bucketStatus.isObject()) {
        bucket.unanswered();
      }
      String code = errorCode(root);
      if ("THROTTLED".equals(code)) {
        throttledAnswers.incrementAndGet();
        if (++throttled > MAX_THROTTLED_RETRIES) {
          throw new ShopifyException("still THROTTLED by " + settings.shop() + " after " + throttled + " waits", true);
        }
        bucket.throttled(requested, bucketStatus.path("currentlyAvailable").asDouble(0),
            bucketStatus.path("restoreRate").asDouble(CostBucket.DEFAULT_RESTORE_RATE));
        continue;
      }
      if (bucketStatus.isObject()) {
        bucket.observe(requested, costs.path("actualQueryCost").asDouble(requested),
            bucketStatus.path("maximumAvailable").asDouble(CostBucket.DEFAULT_MAXIMUM),
            bucketStatus.path("currentlyAvailable").asDouble(0),
            bucketStatus.path("restoreRate").asDouble(CostBucket.DEFAULT_RESTORE_RATE));
      }
      if ("MAX_COST_EXCEEDED".equals(code)) {
        throw new ShopifyException("the query costs " + requested + " points, more than " + settings.shop()
            + "'s bucket holds: it must ask for fewer items per page", false);
      }
      if (root.path("errors").isArray() && !root.path("errors").isEmpty()) {
        throw new ShopifyException("GraphQL errors from " + settings.shop() + ": " + abbreviate(root.path("errors").toString()), false);
      }
      return root.path("data");
    }
  }

  /**
   * One exchange, whole, within SHOPIFY_REQUEST_TIMEOUT. {@link HttpRequest#timeout} covers only the
   * wait for the headers: a server that sends them and then drips the body would hold this thread,
   * and the activity's budget permit, for good. Twice the timeout bounds headers plus body.
   */
  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return exchange.get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException("no whole answer within " + settings.requestTimeout().multipliedBy(2).toSeconds() + " s");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** The body as a GraphQL answer — a JSON object with {@code data} or {@code errors} — or null. */
  private JsonNode graphqlAnswer(String body) {
    try {
      JsonNode root = json.readTree(body);
      return root.isObject() && (root.has("data") || root.has("errors")) ? root : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** SHOPIFY_REQUEST_TIMEOUT: other exchanges with Shopify (its bulk files) take their deadlines from it. */
  public Duration requestTimeout() {
    return settings.requestTimeout();
  }

  /** THROTTLED answers received so far: what the pacing is there to avoid. */
  public long throttledAnswers() {
    return throttledAnswers.get();
  }

  private static String errorCode(JsonNode root) {
    for (JsonNode error : root.path("errors")) {
      String code = error.path("extensions").path("code").asString("");
      if (!code.isEmpty()) {
        return code;
      }
    }
    return null;
  }

  /** The wait before attempt {@code failures + 1}: Retry-After when given, else 0.5 s doubling up to 30 s, with jitter. */
  private long backoff(int failures, String reason, Optional<String> retryAfter) {
    if (failures >= settings.maxAttempts()) {
      throw new ShopifyException(reason + " from " + settings.shop() + ", " + failures + " attempts", true);
    }
    long longest = Duration.ofSeconds(30).toNanos();
    Optional<Double> seconds = retryAfter.flatMap(ShopifyGraphql::seconds);
    if (seconds.isPresent()) {
      return Math.min(longest, (long) (seconds.get() * 1e9));
    }
    long base = Math.min(longest, Duration.ofMillis(500).toNanos() << (failures - 1));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  private static Optional<Double> seconds(String header) {
    try {
      return Optional.of(Math.max(0, Double.parseDouble(header.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: fall back to our own backoff
    }
  }

  /** Waits in slices of at most a second, running {@code waiting} after each. */
  private void pause(long nanos, Runnable waiting) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      long slice = Math.min(left, 1_000_000_000L);
      try {
        Thread.sleep(slice / 1_000_000, (int) (slice % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShopifyException("interrupted while waiting for " + settings.shop() + "'s rate limit", true);
      }
      waiting.run();
    }
  }

  private static String abbreviate(String text) {
    return abbreviate(text, 500);
  }

  private static String abbreviate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length) + "…";
  }
}
