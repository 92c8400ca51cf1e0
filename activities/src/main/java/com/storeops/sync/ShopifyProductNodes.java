package com.storeops.sync;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns the Admin API's product, variant, media and metafield nodes — from a page or from a bulk
 * export's lines — into a {@link ShopifyProduct} stored by the same rules as the CSV import, so a
 * synced product and an imported one look alike and export alike.
 */
final class ShopifyProductNodes {

  /** Grams per unit of Shopify's WeightUnit; the CSV's Variant Grams is the weight converted so, digit for digit. */
  private static final Map<String, BigDecimal> GRAMS_PER_UNIT = Map.of(
      "GRAMS", BigDecimal.ONE, "KILOGRAMS", new BigDecimal("1000"),
      "POUNDS", new BigDecimal("453.59237"), "OUNCES", new BigDecimal("28.349523125"));
  private static final Map<String, String> UNIT_NAMES = Map.of("GRAMS", "g", "KILOGRAMS", "kg", "POUNDS", "lb", "OUNCES", "oz");

  /**
   * Shopify's Google Shopping fields are metafields of this namespace, but its product CSV writes
   * them as {@code Google Shopping / …} columns, which the import keeps under those names.
   */
  private static final String GOOGLE_SHOPPING = "mm-google-shopping";

  private ShopifyProductNodes() {}

  static ShopifyProduct product(JsonNode node, List<JsonNode> variants, List<JsonNode> media, List<JsonNode> metafields) {
    List<String> optionNames = new ArrayList<>(Arrays.asList(null, null, null));
    int o = 0;
    for (JsonNode option : node.path("options")) {
      if (o < 3) {
        optionNames.set(o++, option.path("name").asString());
      }
    }
    // The import's rule for Shopify's option-less product: Option1 Name "Title" is no option, and
    // its value "Default Title" no value.
    boolean defaultTitle = "Title".equals(optionNames.get(0));
    if (defaultTitle) {
      optionNames.set(0, null);
    }
    List<ShopifyProduct.Variant> parsedVariants = new ArrayList<>();
    for (JsonNode v : variants) {
      parsedVariants.add(variant(v, parsedVariants.size() + 1, defaultTitle));
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
    return new ShopifyProduct(ShopifyProduct.numericId(node.path("id").asString()), node.path("handle").asString(),
        node.path("title").asString(), text(node, "descriptionHtml"), text(node, "vendor"), text(node, "productType"), tags,
        node.path("status").asString("ACTIVE").toLowerCase(Locale.ROOT), Instant.parse(node.path("updatedAt").asString()),
        optionNames, text(node.path("category"), "fullName"), text(node.path("seo"), "title"),
        text(node.path("seo"), "description"), node.path("isGiftCard").asBoolean(false), extra(metafields),
        parsedVariants, parsedImages);
  }

  private static ShopifyProduct.Variant variant(JsonNode v, int position, boolean defaultTitle) {
    List<String> options = new ArrayList<>(Arrays.asList(null, null, null));
    int o = 0;
    for (JsonNode selected : v.path("selectedOptions")) {
      if (o < 3) {
        options.set(o++, selected.path("value").asString());
      }
    }
    if (defaultTitle && "Default Title".equals(options.get(0))) {
      options.set(0, null);
    }
    JsonNode item = v.path("inventoryItem");
    JsonNode weight = item.path("measurement").path("weight");
    String unit = weight.path("unit").asString(null);
    BigDecimal grams = number(weight.path("value"));
    if (grams != null && GRAMS_PER_UNIT.containsKey(unit)) {
      grams = grams.multiply(GRAMS_PER_UNIT.get(unit)).stripTrailingZeros();
      grams = grams.scale() < 0 ? grams.setScale(0) : grams;
    } else {
      grams = null;
    }
    String policy = text(v, "inventoryPolicy");
    return new ShopifyProduct.Variant(ShopifyProduct.numericId(v.path("id").asString()), text(v, "sku"),
        v.path("position").asInt(position), money(v, "price"), money(v, "compareAtPrice"),
        v.path("inventoryQuantity").isNumber() ? v.path("inventoryQuantity").asInt() : null, options,
        text(v, "barcode"), bool(v.path("taxable")), policy == null ? null : policy.toLowerCase(Locale.ROOT),
        item.path("tracked").asBoolean(false) ? "shopify" : null, bool(item.path("requiresShipping")),
        money(item.path("unitCost"), "amount"), grams, grams == null ? null : UNIT_NAMES.get(unit),
        text(v.path("image"), "url"));
  }

  /** The product's metafields under the product CSV's headers: {@code <definition name> (product.metafields.<ns>.<key>)}. */
  private static Map<String, String> extra(List<JsonNode> metafields) {
    Map<String, String> extra = new LinkedHashMap<>();
    for (JsonNode m : metafields) {
      String namespace = m.path("namespace").asString();
      String key = m.path("key").asString();
      String value = text(m, "value");
      if (GOOGLE_SHOPPING.equals(namespace) || value == null) {
        continue;
      }
      String name = text(m.path("definition"), "name");
      extra.put((name == null ? namespace + "." + key : name) + " (product.metafields." + namespace + "." + key + ")", value);
    }
    return extra;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNull() || value.isMissingNode() || value.asString().isEmpty() ? null : value.asString();
  }

  private static Boolean bool(JsonNode value) {
    return value.isBoolean() ? value.asBoolean() : null;
  }

  private static BigDecimal money(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : new BigDecimal(value);
  }

  /** A Float as its shortest decimal ({@code 0.5}, not 0.5000000000000000277…). */
  private static BigDecimal number(JsonNode value) {
    return value.isNumber() ? new BigDecimal(String.valueOf(value.asDouble())) : null;
  }
}
