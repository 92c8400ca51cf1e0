package com.storeops.sync;

import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
      query PollBulk($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } } }""";

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
      JsonNode run = shopify.execute(RUN, Map.of("query", QUERY), 10).path("bulkOperationRunQuery");
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
   * Waits for the export to end; answers its JSONL's URL (null when the shop has no products). A
   * failed, cancelled or expired export fails retryably: the retry starts a new one.
   */
  String awaitUrl(String id, Runnable waiting) {
    while (true) {
      JsonNode node = shopify.execute(POLL, Map.of("id", id), 1).path("node");
      String status = node.path("status").asString("");
      switch (status) {
        case "COMPLETED":
          return node.path("url").isNull() ? null : node.path("url").asString(null);
        case "FAILED", "CANCELED", "CANCELLED", "EXPIRED":
          throw new ShopifyException("the bulk export " + id + " ended " + status + " (" + node.path("errorCode").asString("") + ")", true);
        default:
          sleep(waiting);
      }
    }
  }

  /**
   * The export's lines. The URL is a signed link to Shopify's storage: it gets no access token.
   */
  BufferedReader download(String url) {
    try {
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new ShopifyException("downloading the bulk export answered HTTP " + response.statusCode(), true);
      }
      return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ShopifyException("downloading the bulk export failed: " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException("interrupted while downloading the bulk export", true);
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
