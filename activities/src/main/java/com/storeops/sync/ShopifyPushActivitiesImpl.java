package com.storeops.sync;

import com.storeops.shopify.ShopifyException;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifySyncRepository.StoredVariant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads the variants' current values (one short query), then sends them to Shopify product by
 * product with no connection held. Shopify's userErrors (a variant it no longer has, a price it
 * refuses) are returned per variant, not thrown: the rest of the chunk still goes through.
 */
@Component
public class ShopifyPushActivitiesImpl implements ShopifyPushActivities {

  static final String MUTATION = """
      mutation PushVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
        productVariantsBulkUpdate(productId: $productId, variants: $variants) {
          productVariants { id }
          userErrors { field message }
        }
      }""";

  private final ObjectProvider<ShopifyGraphql> shopify;
  private final ShopifySettings settings;
  private final ShopifySyncRepository repository;

  public ShopifyPushActivitiesImpl(ObjectProvider<ShopifyGraphql> shopify, ShopifySettings settings, ShopifySyncRepository repository) {
    this.shopify = shopify;
    this.settings = settings;
    this.repository = repository;
  }

  @Override
  public Pushed pushVariants(PushVariants request) {
    ShopifyGraphql client = shopify.getIfAvailable();
    if (client == null || !request.shop().equals(settings.shop())) {
      throw new ShopifyException("this worker cannot push to " + request.shop()
          + ": SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN must name it", false).toFailure();
    }
    List<StoredVariant> variants = repository.storedVariants(request.variantIds());
    Map<Long, List<StoredVariant>> byProduct = new LinkedHashMap<>();
    int skipped = 0;
    for (StoredVariant v : variants) {
      if (v.variantShopifyId() == null || v.productShopifyId() == 0) {
        skipped++;
      } else {
        byProduct.computeIfAbsent(v.productShopifyId(), k -> new ArrayList<>()).add(v);
      }
    }
    int pushed = 0;
    List<String> errors = new ArrayList<>();
    try {
      for (Map.Entry<Long, List<StoredVariant>> product : byProduct.entrySet()) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (StoredVariant v : product.getValue()) {
          Map<String, Object> input = new HashMap<>();
          input.put("id", "gid://shopify/ProductVariant/" + v.variantShopifyId());
          input.put("price", v.price() == null ? null : v.price().toPlainString());
          input.put("compareAtPrice", v.compareAt() == null ? null : v.compareAt().toPlainString());
          input.put("inventoryItem", Map.of("sku", v.sku() == null ? "" : v.sku()));
          inputs.add(input);
        }
        JsonNode result = client.execute(MUTATION, Map.of("productId", "gid://shopify/Product/" + product.getKey(),
            "variants", inputs), 10).path("productVariantsBulkUpdate");
        JsonNode userErrors = result.path("userErrors");
        if (userErrors.isArray() && !userErrors.isEmpty()) {
          userErrors.forEach(e -> errors.add("product " + product.getKey() + ": " + e.path("message").asString()));
        } else {
          pushed += product.getValue().size();
        }
      }
    } catch (ShopifyException e) {
      throw e.toFailure();
    }
    return new Pushed(pushed, skipped, errors);
  }
}
