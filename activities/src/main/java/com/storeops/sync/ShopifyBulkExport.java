package com.storeops.sync;

import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * A full export through Shopify's bulk operations: {@code bulkOperationRunQuery}, polled by id
 * until it ends, then its JSONL downloaded. One bulk query runs per app and shop at a time; when
 * Shopify answers that one is in progress, the start waits and asks again.
 */
final class ShopifyBulkExport {

  /**
   * The same fields as an incremental page. Each nested connection's nodes come as lines of their
   * own with {@code __parentId}; the ids tell variants, media and metafields apart.
   */
  static final String QUERY = """
      { products { edges { node {
          id handle title descriptionHtml vendor productType tags status updatedAt isGiftCard
          options { name } category { fullName } seo { title description }
          variants { edges { node {
            id sku position price compareAtPrice inventoryQuantity barcode taxable inventoryPolicy
            selectedOptions { name value } image { url }
            inventoryItem { tracked requiresShipping unitCost { amount } measurement { weight { value unit } } }
          } } }
          media { edges { node { id alt ... on MediaImage { image { url } } } } }
          metafields { edges { node { id namespace key type value definition { name } } } }
      } } } }""";

  private static final String RUN = """
      mutation RunBulk($query: String!) {
        bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
      }""";

  private static final String POLL = """
      query PollBulk($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount url } } }""";

  private final ShopifyGraphql shopify;
  private final HttpClient http;
  private final Duration pollInterval;

  ShopifyBulkExport(ShopifyGraphql shopify, HttpClient http, Duration pollInterval) {
    this.shopify = shopify;
    this.http = http;
    this.pollInterval = pollInterval;
  }

  /** Starts the export; answers the bulk operation's id. {@code waiting} runs between tries (heartbeats). */
  String start(Runnable waiting) {
    while (true) {
      JsonNode run = shopify.execute(RUN, Map.of("query", QUERY), 10, waiting).path("bulkOperationRunQuery");
      if (run.path("bulkOperation").isObject()) {
        return run.path("bulkOperation").path("id").asString();
      }
      String message = run.path("userErrors").path(0).path("message").asString("no bulk operation and no reason");
      if (!message.contains("already in progress")) {
        throw new ShopifyException("Shopify refused the bulk export: " + message, false);
      }
      sleep(waiting);
    }
  }

  /**
   * A completed export: its JSONL's URL (null when it found nothing), the objects it wrote — one a
   * line — and of those the products (null when Shopify did not say).
   */
  record Completed(String url, long objects, Long products) {}

  /**
   * Waits for the export to end. A failed, cancelled or expired export fails retryably: the retry
   * starts a new one.
   */
  Completed awaitCompleted(String id, Runnable waiting) {
    while (true) {
      JsonNode node = shopify.execute(POLL, Map.of("id", id), 1, waiting).path("node");
      String status = node.path("status").asString("");
      switch (status) {
        case "COMPLETED":
          String url = node.path("url").isString() && !node.path("url").asString().isBlank() ? node.path("url").asString() : null;
          Long objects = count(node.path("objectCount"));
          if (objects == null) {
            throw new ShopifyException("the bulk export " + id + " completed without an objectCount: nothing to check its file against", true);
          }
          return new Completed(url, objects, count(node.path("rootObjectCount")));
        case "FAILED", "CANCELED", "CANCELLED", "EXPIRED":
          throw new ShopifyException("the bulk export " + id + " ended " + status + " (" + node.path("errorCode").asString("") + ")", true);
        default:
          sleep(waiting);
      }
    }
  }

  /** Shopify's UnsignedInt64 counts travel as strings; a number is taken too. */
  private static Long count(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    try {
      return value.isString() ? Long.parseLong(value.asString().trim()) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The export's file, read under deadlines of twice SHOPIFY_REQUEST_TIMEOUT, as a GraphQL request
   * is: one for the headers, then one for each stretch of the body, begun by {@link Download#renew}
   * as each batch of its lines is staged. A server that stops sending, or sends a byte now and then,
   * is cut off instead of holding the attempt, and its budget permit, for as long as it likes. The
   * URL is a signed link to Shopify's storage: it gets no access token.
   */
  Download download(String url) {
    Duration limit = shopify.requestTimeout().multipliedBy(2);
    CompletableFuture<HttpResponse<InputStream>> exchange = http.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).timeout(shopify.requestTimeout()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      response = exchange.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Not cancelled: the observing client hands back a dependent future, whose cancel would not
      // reach the request and would drop a late response unclosed. A response that still arrives
      // is closed instead, freeing its connection; the request's own timeout ends the rest.
      exchange.thenAccept(late -> {
        try {
          late.body().close();
        } catch (IOException ignored) {
          // the connection is dropped either way
        }
      });
      throw new ShopifyException("downloading the bulk export: no answer within " + limit.toSeconds() + " s", true);
    } catch (ExecutionException e) {
      throw new ShopifyException("downloading the bulk export failed: " + e.getCause(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException("interrupted while downloading the bulk export", true);
    }
    if (response.statusCode() != 200) {
      try (InputStream body = response.body()) {
        throw new ShopifyException("downloading the bulk export answered HTTP " + response.statusCode(), true);
      } catch (IOException e) {
        throw new ShopifyException("downloading the bulk export answered HTTP " + response.statusCode(), true);
      }
    }
    return new Download(response.body(), limit);
  }

  /** A downloading file's lines. Past a stretch's deadline its body is closed and reading it fails. */
  static final class Download implements Closeable {

    private final InputStream body;
    private final Duration limit;
    private final BufferedReader lines;
    private volatile boolean late;
    private CompletableFuture<Void> deadline;

    private Download(InputStream body, Duration limit) {
      this.body = body;
      this.limit = limit;
      this.lines = new BufferedReader(new InputStreamReader(new FilterInputStream(body) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            int n = super.read(b, off, len);
            if (late) {
              throw lateness();
            }
            return n;
          } catch (IOException e) {
            throw late ? lateness() : e;
          }
        }
      }, StandardCharsets.UTF_8));
      renew();
    }

    BufferedReader lines() {
      return lines;
    }

    /** Starts the next stretch: the body has this long again to bring more. */
    synchronized void renew() {
      if (deadline != null) {
        deadline.complete(null);
      }
      deadline = new CompletableFuture<Void>().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
      deadline.whenComplete((done, expired) -> {
        if (expired != null) {
          late = true;
          try {
            body.close();
          } catch (IOException ignored) {
            // closing is all that is asked of it
          }
        }
      });
    }

    private IOException lateness() {
      return new HttpTimeoutException("the bulk export's file brought too little within " + limit.toSeconds() + " s");
    }

    @Override
    public synchronized void close() throws IOException {
      deadline.complete(null);
      lines.close();
    }
  }

  private void sleep(Runnable waiting) {
    waiting.run();
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException("interrupted while waiting for the bulk export", true);
    }
  }
}
