package com.storeops.sync;

import com.storeops.shopify.ShopifyGraphql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads products from the Admin GraphQL API one page at a time, with their variants, images and
 * metafields. Shopify prices a query before running it — an object 1 point, a connection of
 * {@code first: N} 2 + N × its node — and refuses one above 1 000 points outright, so the nested
 * connections of a page are kept small ({@link #pageCost}); a product with more variants, images or
 * metafields than that gets follow-up pages, so nothing is dropped.
 */
final class ShopifyProductReader {

  // The first page of each nested connection, as written in PAGE (its cost counts on them).
  static final int VARIANTS = 8;
  static final int IMAGES = 5;
  static final int METAFIELDS = 5;
  // Follow-up pages, as written in MORE_VARIANTS, MORE_IMAGES and MORE_METAFIELDS.
  static final int MORE_VARIANT_PAGE = 100;
  static final int MORE = 250;

  // What each node costs by Shopify's rule: a variant is itself, its selectedOptions, image,
  // inventoryItem, measurement, weight and unitCost; a media image and a metafield two objects; a
  // product itself, its options, category and seo.
  private static final int VARIANT_COST = 7;
  private static final int MEDIA_COST = 2;
  private static final int METAFIELD_COST = 2;
  private static final int PRODUCT_COST = 4;

  private static final String VARIANT_FIELDS = """
      id sku position price compareAtPrice inventoryQuantity barcode taxable inventoryPolicy
      selectedOptions { name value } image { url }
      inventoryItem { tracked requiresShipping unitCost { amount } measurement { weight { value unit } } }""";

  private static final String MEDIA_FIELDS = "id alt ... on MediaImage { image { url } }";

  private static final String METAFIELD_FIELDS = "id namespace key type value definition { name }";

  static final String PAGE = """
      query SyncProducts($first: Int!, $after: String, $query: String) {
        products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
          nodes {
            id handle title descriptionHtml vendor productType tags status updatedAt isGiftCard
            options { name } category { fullName } seo { title description }
            variants(first: 8) { nodes { %s } pageInfo { hasNextPage endCursor } }
            media(first: 5) { nodes { %s } pageInfo { hasNextPage endCursor } }
            metafields(first: 5) { nodes { %s } pageInfo { hasNextPage endCursor } }
          }
          pageInfo { hasNextPage endCursor }
        }
      }""".formatted(VARIANT_FIELDS, MEDIA_FIELDS, METAFIELD_FIELDS);

  static final String COUNT = "query CountProducts($query: String) { productsCount(query: $query, limit: null) { count } }";

  static final String MORE_VARIANTS = """
      query MoreVariants($id: ID!, $after: String) {
        product(id: $id) { variants(first: 100, after: $after) { nodes { %s } pageInfo { hasNextPage endCursor } } }
      }""".formatted(VARIANT_FIELDS);

  static final String MORE_IMAGES = """
      query MoreImages($id: ID!, $after: String) {
        product(id: $id) { media(first: 250, after: $after) { nodes { %s } pageInfo { hasNextPage endCursor } } }
      }""".formatted(MEDIA_FIELDS);

  static final String MORE_METAFIELDS = """
      query MoreMetafields($id: ID!, $after: String) {
        product(id: $id) { metafields(first: 250, after: $after) { nodes { %s } pageInfo { hasNextPage endCursor } } }
      }""".formatted(METAFIELD_FIELDS);

  /** What Shopify asks for a page of {@code pageSize} products, by its rule. */
  static int pageCost(int pageSize) {
    return 2 + pageSize * (PRODUCT_COST + connection(VARIANTS, VARIANT_COST) + connection(IMAGES, MEDIA_COST)
        + connection(METAFIELDS, METAFIELD_COST));
  }

  // What a follow-up page asks: the product and one connection.
  static final int MORE_VARIANTS_COST = 1 + connection(MORE_VARIANT_PAGE, VARIANT_COST);
  static final int MORE_IMAGES_COST = 1 + connection(MORE, MEDIA_COST);
  static final int MORE_METAFIELDS_COST = 1 + connection(MORE, METAFIELD_COST);

  private static int connection(int first, int nodeCost) {
    return 2 + first * nodeCost;
  }

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
    JsonNode connection = shopify.execute(PAGE, variables, pageCost(pageSize), waiting).path("products");
    List<ShopifyProduct> products = new ArrayList<>();
    for (JsonNode node : connection.path("nodes")) {
      products.add(product(node));
    }
    JsonNode info = connection.path("pageInfo");
    return new Page(products, info.path("hasNextPage").asBoolean() ? info.path("endCursor").asString() : null);
  }

  private ShopifyProduct product(JsonNode node) {
    String gid = node.path("id").asString();
    return ShopifyProductNodes.product(node, all(node.path("variants"), gid, MORE_VARIANTS, MORE_VARIANTS_COST, "variants"),
        all(node.path("media"), gid, MORE_IMAGES, MORE_IMAGES_COST, "media"),
        all(node.path("metafields"), gid, MORE_METAFIELDS, MORE_METAFIELDS_COST, "metafields"));
  }

  /** The nodes of a nested connection, following its pages past the first. */
  private List<JsonNode> all(JsonNode connection, String productGid, String more, int cost, String field) {
    List<JsonNode> nodes = new ArrayList<>();
    connection.path("nodes").forEach(nodes::add);
    JsonNode info = connection.path("pageInfo");
    while (info.path("hasNextPage").asBoolean()) {
      Map<String, Object> variables = new HashMap<>();
      variables.put("id", productGid);
      variables.put("after", info.path("endCursor").asString());
      JsonNode next = shopify.execute(more, variables, cost, waiting).path("product").path(field);
      next.path("nodes").forEach(nodes::add);
      info = next.path("pageInfo");
    }
    return nodes;
  }
}
