package com.storeops.sync;

import com.storeops.shopify.ShopifyGraphql;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads products from the Admin GraphQL API one page at a time, with their variants and images.
 * A page's nested connections are kept small enough for the query to fit the cost bucket
 * ({@code 2 + pageSize × (1 + (2 + 30) + (2 + 10))} points); a product with more variants or images
 * than that gets follow-up pages, so nothing is dropped.
 */
final class ShopifyProductReader {

  // The first page of each nested connection, as written in PAGE (its cost counts on them).
  static final int VARIANTS = 30;
  static final int IMAGES = 10;
  // Follow-up pages of variants or images, as written in MORE_VARIANTS and MORE_IMAGES.
  static final int MORE = 250;

  static final String PAGE = """
      query SyncProducts($first: Int!, $after: String, $query: String) {
        products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
          nodes {
            id handle title descriptionHtml vendor productType tags status updatedAt
            options { name }
            variants(first: 30) {
              nodes { id sku position price compareAtPrice inventoryQuantity selectedOptions { value } }
              pageInfo { hasNextPage endCursor }
            }
            media(first: 10) {
              nodes { id alt ... on MediaImage { image { url } } }
              pageInfo { hasNextPage endCursor }
            }
          }
          pageInfo { hasNextPage endCursor }
        }
      }""";

  static final String COUNT = "query CountProducts($query: String) { productsCount(query: $query, limit: null) { count } }";

  static final String MORE_VARIANTS = """
      query MoreVariants($id: ID!, $after: String) {
        product(id: $id) {
          variants(first: 250, after: $after) {
            nodes { id sku position price compareAtPrice inventoryQuantity selectedOptions { value } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }""";

  static final String MORE_IMAGES = """
      query MoreImages($id: ID!, $after: String) {
        product(id: $id) {
          media(first: 250, after: $after) {
            nodes { id alt ... on MediaImage { image { url } } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }""";

  /** One page and where the next one starts (null after the last). */
  record Page(List<ShopifyProduct> products, String nextCursor) {}

  private final ShopifyGraphql shopify;
  private final int pageSize;
  private final Runnable waiting;

  /** {@code waiting}: runs while a request waits for the bucket or a backoff (the activity heartbeats). */
  ShopifyProductReader(ShopifyGraphql shopify, int pageSize, Runnable waiting) {
    this.shopify = shopify;
    this.pageSize = pageSize;
    this.waiting = waiting;
  }

  /**
   * Shopify's search syntax needs the quotes around the timestamp: without them it silently
   * ignores the filter and answers every product.
   */
  static String updatedSince(Instant watermark) {
    return watermark == null ? null : "updated_at:>='" + watermark + "'";
  }

  long count(String query) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("query", query);
    return shopify.execute(COUNT, variables, 1, waiting).path("productsCount").path("count").asLong();
  }

  Page page(String query, String after) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("first", pageSize);
    variables.put("after", after);
    variables.put("query", query);
    JsonNode connection = shopify.execute(PAGE, variables, 2 + pageSize * (1 + (2 + VARIANTS) + (2 + IMAGES)), waiting).path("products");
    List<ShopifyProduct> products = new ArrayList<>();
    for (JsonNode node : connection.path("nodes")) {
      products.add(product(node));
    }
    JsonNode info = connection.path("pageInfo");
    return new Page(products, info.path("hasNextPage").asBoolean() ? info.path("endCursor").asString() : null);
  }

  private ShopifyProduct product(JsonNode node) {
    String gid = node.path("id").asString();
    return product(node, all(node.path("variants"), gid, MORE_VARIANTS, "variants"), all(node.path("media"), gid, MORE_IMAGES, "media"));
  }

  /** A product from its node and its variants' and media's nodes — from a page or from a bulk export. */
  static ShopifyProduct product(JsonNode node, List<JsonNode> variants, List<JsonNode> media) {
    List<ShopifyProduct.Variant> parsedVariants = new ArrayList<>();
    for (JsonNode v : variants) {
      List<String> options = new ArrayList<>();
      v.path("selectedOptions").forEach(o -> options.add(o.path("value").asString()));
      parsedVariants.add(new ShopifyProduct.Variant(ShopifyProduct.numericId(v.path("id").asString()), text(v, "sku"),
          v.path("position").asInt(parsedVariants.size() + 1), money(v, "price"), money(v, "compareAtPrice"),
          v.path("inventoryQuantity").isNumber() ? v.path("inventoryQuantity").asInt() : null, options));
    }
    List<ShopifyProduct.Image> parsedImages = new ArrayList<>();
    for (JsonNode m : media) {
      String url = m.path("image").path("url").asString(null);
      if (url != null) { // videos and 3D models are media too; only images are kept
        parsedImages.add(new ShopifyProduct.Image(ShopifyProduct.numericId(m.path("id").asString()), url, text(m, "alt"),
            parsedImages.size() + 1));
      }
    }
    List<String> tags = new ArrayList<>();
    node.path("tags").forEach(t -> tags.add(t.asString()));
    List<String> optionNames = new ArrayList<>();
    node.path("options").forEach(o -> optionNames.add(o.path("name").asString()));
    return new ShopifyProduct(ShopifyProduct.numericId(node.path("id").asString()), node.path("handle").asString(),
        node.path("title").asString(), text(node, "descriptionHtml"), text(node, "vendor"), text(node, "productType"), tags,
        node.path("status").asString("ACTIVE").toLowerCase(Locale.ROOT), Instant.parse(node.path("updatedAt").asString()),
        optionNames, parsedVariants, parsedImages);
  }

  /** The nodes of a nested connection, following its pages past the first. */
  private List<JsonNode> all(JsonNode connection, String productGid, String more, String field) {
    List<JsonNode> nodes = new ArrayList<>();
    connection.path("nodes").forEach(nodes::add);
    JsonNode info = connection.path("pageInfo");
    while (info.path("hasNextPage").asBoolean()) {
      Map<String, Object> variables = new HashMap<>();
      variables.put("id", productGid);
      variables.put("after", info.path("endCursor").asString());
      JsonNode next = shopify.execute(more, variables, 2 + MORE + 1, waiting).path("product").path(field);
      next.path("nodes").forEach(nodes::add);
      info = next.path("pageInfo");
    }
    return nodes;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() || value.asString().isEmpty() ? null : value.asString();
  }

  private static BigDecimal money(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : new BigDecimal(value);
  }
}
