package com.storeops.sync;

import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifySyncRepository.StoredProduct;
import com.storeops.sync.ShopifySyncRepository.StoredVariant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads the chunk's stored values (two short queries), then sends to Shopify the fields asked for,
 * with no connection held. Shopify's userErrors (a variant it no longer has, a price it refuses)
 * are returned per product, not thrown: the rest of the chunk still goes through.
 */
@Component
public class ShopifyPushActivitiesImpl implements ShopifyPushActivities {

  static final String VARIANTS = """
      mutation PushVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
        productVariantsBulkUpdate(productId: $productId, variants: $variants) {
          productVariants { id }
          userErrors { field message }
        }
      }""";

  static final String PRODUCT = """
      mutation PushProduct($product: ProductUpdateInput!) {
        productUpdate(product: $product) {
          product { id }
          userErrors { field message }
        }
      }""";

  static final String TAGS_ADD = """
      mutation PushTagsAdd($id: ID!, $tags: [String!]!) {
        tagsAdd(id: $id, tags: $tags) {
          userErrors { field message }
        }
      }""";

  static final String TAGS_REMOVE = """
      mutation PushTagsRemove($id: ID!, $tags: [String!]!) {
        tagsRemove(id: $id, tags: $tags) {
          userErrors { field message }
        }
      }""";

  /** Where each variant's stock lives: its inventory item and the locations stocking it. */
  static final String INVENTORY_ITEMS = """
      query PushInventoryItems($ids: [ID!]!) {
        nodes(ids: $ids) {
          ... on ProductVariant { id inventoryItem { id inventoryLevels(first: 2) { nodes { location { id } } } } }
        }
      }""";

  // Shopify requires an idempotency key on inventory mutations (a directive, so it is part of the
  // text); the key is a UUID this class derives, never request text.
  static final String INVENTORY_SET = """
      mutation PushInventorySet($input: InventorySetQuantitiesInput!) {
        inventorySetQuantities(input: $input) @idempotent(key: "%s") {
          userErrors { field message }
        }
      }""";

  static final String INVENTORY_ADJUST = """
      mutation PushInventoryAdjust($input: InventoryAdjustQuantitiesInput!) {
        inventoryAdjustQuantities(input: $input) @idempotent(key: "%s") {
          userErrors { field message }
        }
      }""";

  private static final int LOOKUP_BATCH = 50;

  private final ObjectProvider<ShopifyGraphql> shopify;
  private final ShopifySettings settings;
  private final ShopifySyncRepository repository;

  public ShopifyPushActivitiesImpl(ObjectProvider<ShopifyGraphql> shopify, ShopifySettings settings, ShopifySyncRepository repository) {
    this.shopify = shopify;
    this.settings = settings;
    this.repository = repository;
  }

  @Override
  public Pushed pushChanges(PushChanges request) {
    ShopifyGraphql client = shopify.getIfAvailable();
    if (client == null || !request.shop().equals(settings.shop())) {
      throw new ShopifyException("this worker cannot push to " + request.shop()
          + ": SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN must name it", false).toFailure();
    }
    PushFields fields = request.fields();
    List<String> errors = new ArrayList<>();
    int skipped = 0;
    int pushedVariants = 0;
    int pushedProducts = 0;
    try {
      if (fields.variantFields() || fields.inventory()) {
        Map<Long, List<StoredVariant>> byProduct = new LinkedHashMap<>();
        for (StoredVariant v : repository.storedVariants(request.variantIds())) {
          if (v.variantShopifyId() == null || v.productShopifyId() == 0) {
            skipped++;
          } else {
            byProduct.computeIfAbsent(v.productShopifyId(), k -> new ArrayList<>()).add(v);
          }
        }
        if (fields.variantFields()) {
          for (Map.Entry<Long, List<StoredVariant>> product : byProduct.entrySet()) {
            pushedVariants += pushVariants(client, fields, product.getKey(), product.getValue(), errors);
          }
        }
        if (fields.inventory()) {
          pushInventory(client, request.key(), fields, byProduct.values().stream().flatMap(List::stream).toList(), errors);
        }
      }
      if (fields.productFields()) {
        for (StoredProduct p : repository.storedProducts(request.productIds())) {
          if (p.shopifyId() == null) {
            skipped++;
          } else if (pushProduct(client, fields, p, errors)) {
            pushedProducts++;
          }
        }
      }
    } catch (ShopifyException e) {
      throw e.toFailure();
    }
    return new Pushed(pushedVariants, pushedProducts, skipped, errors);
  }

  /** One product's variants in one call: all or nothing, as Shopify applies it. Answers the variants pushed. */
  private static int pushVariants(ShopifyGraphql client, PushFields fields, long product, List<StoredVariant> variants,
      List<String> errors) {
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (StoredVariant v : variants) {
      Map<String, Object> input = new HashMap<>();
      if (fields.price() && v.price() != null) { // a price that is null stays as Shopify has it
        input.put("price", v.price().toPlainString());
      }
      if (fields.compareAtPrice()) {
        input.put("compareAtPrice", v.compareAt() == null ? null : v.compareAt().toPlainString());
      }
      if (fields.sku() && v.sku() != null) { // no SKU here is not an empty SKU there
        input.put("inventoryItem", Map.of("sku", v.sku()));
      }
      if (!input.isEmpty()) {
        input.put("id", "gid://shopify/ProductVariant/" + v.variantShopifyId());
        inputs.add(input);
      }
    }
    if (inputs.isEmpty()) {
      return 0;
    }
    JsonNode result = client.execute(VARIANTS, Map.of("productId", "gid://shopify/Product/" + product, "variants", inputs), 10)
        .path("productVariantsBulkUpdate");
    return refused(result, "product " + product, errors) ? 0 : inputs.size();
  }

  /** Status and whole tags in one productUpdate; added and removed tags with their own mutations. */
  private static boolean pushProduct(ShopifyGraphql client, PushFields fields, StoredProduct p, List<String> errors) {
    String gid = "gid://shopify/Product/" + p.shopifyId();
    String where = "product " + p.shopifyId();
    boolean ok = true;
    if (fields.status() || fields.tags()) {
      Map<String, Object> input = new HashMap<>();
      input.put("id", gid);
      if (fields.status()) {
        input.put("status", p.status().toUpperCase(Locale.ROOT));
      }
      if (fields.tags()) {
        input.put("tags", p.tags());
      }
      ok &= !refused(client.execute(PRODUCT, Map.of("product", input), 10).path("productUpdate"), where, errors);
    }
    if (!fields.addTags().isEmpty()) {
      ok &= !refused(client.execute(TAGS_ADD, Map.of("id", gid, "tags", fields.addTags()), 10).path("tagsAdd"), where, errors);
    }
    if (!fields.removeTags().isEmpty()) {
      ok &= !refused(client.execute(TAGS_REMOVE, Map.of("id", gid, "tags", fields.removeTags()), 10).path("tagsRemove"), where, errors);
    }
    return ok;
  }

  /**
   * Inventory lives at locations in Shopify, storeops holds one quantity per variant: a variant
   * stocked at exactly one location is pushed there, any other is an error naming it. A delta goes
   * as an adjustment (sales since the last sync stay counted), a stored quantity as a set.
   */
  private static void pushInventory(ShopifyGraphql client, String key, PushFields fields, List<StoredVariant> variants,
      List<String> errors) {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (int from = 0; from < variants.size(); from += LOOKUP_BATCH) {
      List<StoredVariant> batch = variants.subList(from, Math.min(variants.size(), from + LOOKUP_BATCH));
      List<String> ids = batch.stream().map(v -> "gid://shopify/ProductVariant/" + v.variantShopifyId()).toList();
      JsonNode nodes = client.execute(INVENTORY_ITEMS, Map.of("ids", ids), 4 * batch.size()).path("nodes");
      for (int i = 0; i < batch.size(); i++) {
        StoredVariant v = batch.get(i);
        JsonNode item = nodes.path(i).path("inventoryItem");
        JsonNode levels = item.path("inventoryLevels").path("nodes");
        if (item.isMissingNode() || levels.size() != 1) {
          errors.add("variant " + v.variantShopifyId() + ": inventory not pushed, Shopify stocks it at "
              + (item.isMissingNode() ? "no known item" : levels.size() + " locations") + ", storeops holds one quantity");
          continue;
        }
        if (fields.inventoryDelta() == null && v.inventory() == null) {
          continue; // nothing stored to set
        }
        Map<String, Object> change = new HashMap<>();
        change.put("inventoryItemId", item.path("id").asString());
        change.put("locationId", levels.path(0).path("location").path("id").asString());
        if (fields.inventoryDelta() != null) {
          change.put("delta", fields.inventoryDelta());
        } else {
          change.put("quantity", v.inventory());
          change.put("changeFromQuantity", null); // the batch decided the quantity: no compare
        }
        changes.add(change);
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    boolean adjust = fields.inventoryDelta() != null;
    Map<String, Object> input = new HashMap<>();
    input.put("name", "available");
    input.put("reason", "correction");
    input.put(adjust ? "changes" : "quantities", changes);
    String idempotency = UUID.nameUUIDFromBytes((key + (adjust ? ":adjust" : ":set")).getBytes(StandardCharsets.UTF_8)).toString();
    String mutation = (adjust ? INVENTORY_ADJUST : INVENTORY_SET).formatted(idempotency);
    JsonNode result = client.execute(mutation, Map.of("input", input), 10)
        .path(adjust ? "inventoryAdjustQuantities" : "inventorySetQuantities");
    refused(result, "inventory of " + changes.size() + " variants", errors);
  }

  /** Adds Shopify's userErrors to {@code errors}; answers whether there were any. */
  private static boolean refused(JsonNode result, String where, List<String> errors) {
    JsonNode userErrors = result.path("userErrors");
    if (userErrors.isArray() && !userErrors.isEmpty()) {
      userErrors.forEach(e -> errors.add(where + ": " + e.path("message").asString()));
      return true;
    }
    return false;
  }
}
