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

  /** What numeric(12,2) stays below: prices, compare-at prices and unit costs. */
  private static final BigDecimal MONEY_LIMIT = new BigDecimal("10000000000");
  /** Characters of a refused value an error shows. */
  private static final int SHOWN = 100;

  private ShopifyProductNodes() {}

  /**
   * The product, or — when the catalogue cannot hold what Shopify sent (a field that does not
   * parse, a price outside numeric(12,2), no handle or title, a NUL byte, which PostgreSQL text
   * refuses) — a product carrying its {@link ShopifyProduct.Malformed} and whatever of its identity
   * could be read, so that the sync reports it and goes on. Checked here, before any statement,
   * because Java sees these for free; what only the database can tell (a handle another stored
   * product holds, a value too long for an index) is found by {@link ShopifyPageWriter}.
   */
  static ShopifyProduct product(JsonNode node, List<JsonNode> variants, List<JsonNode> media, List<JsonNode> metafields) {
    ShopifyProduct product;
    try {
      product = parse(node, variants, media, metafields);
    } catch (MalformedField e) {
      return unreadable(node, e.malformed);
    } catch (RuntimeException e) {
      return unreadable(node, new ShopifyProduct.Malformed(null, null, "does not parse: " + e));
    }
    ShopifyProduct.Malformed malformed = check(product);
    return malformed == null ? product : unreadable(node, malformed);
  }

  private static ShopifyProduct parse(JsonNode node, List<JsonNode> variants, List<JsonNode> media, List<JsonNode> metafields) {
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
    return new ShopifyProduct(ShopifyProduct.numericId(node.path("id").asString()), text(node, "handle"),
        node.path("title").asString(), text(node, "descriptionHtml"), text(node, "vendor"), text(node, "productType"), tags,
        node.path("status").asString("ACTIVE").toLowerCase(Locale.ROOT), Instant.parse(node.path("updatedAt").asString()),
        optionNames, text(node.path("category"), "fullName"), text(node.path("seo"), "title"),
        text(node.path("seo"), "description"), node.path("isGiftCard").asBoolean(false), extra(metafields),
        parsedVariants, parsedImages, null);
  }

  /** A product that is only its error: its id, handle, title and updatedAt as far as they read. */
  private static ShopifyProduct unreadable(JsonNode node, ShopifyProduct.Malformed malformed) {
    long id;
    Instant updatedAt;
    try {
      id = ShopifyProduct.numericId(node.path("id").asString());
    } catch (RuntimeException e) {
      id = 0;
    }
    try {
      updatedAt = Instant.parse(node.path("updatedAt").asString());
    } catch (RuntimeException e) {
      updatedAt = null;
    }
    return new ShopifyProduct(id, text(node, "handle"), text(node, "title"), null, null, null, List.of(), null, updatedAt,
        Arrays.asList(null, null, null), null, null, null, false, Map.of(), List.of(), List.of(), malformed);
  }

  /** The first thing in a parsed product the catalogue's columns refuse, or null. */
  private static ShopifyProduct.Malformed check(ShopifyProduct p) {
    if (p.handle() == null || p.handle().isBlank()) {
      return new ShopifyProduct.Malformed("handle", p.handle(), "a product needs a handle: it is the catalogue's key");
    }
    if (p.title() == null) {
      return new ShopifyProduct.Malformed("title", null, "a product needs a title");
    }
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("handle", p.handle());
    texts.put("title", p.title());
    texts.put("descriptionHtml", p.bodyHtml());
    texts.put("vendor", p.vendor());
    texts.put("productType", p.productType());
    texts.put("tags", String.join(",", p.tags()));
    texts.put("options", String.valueOf(p.optionNames()));
    texts.put("category", p.category());
    texts.put("seo", p.seoTitle() + " " + p.seoDescription());
    p.extra().forEach((key, value) -> texts.put("metafield " + key, key + value));
    for (ShopifyProduct.Image i : p.images()) {
      texts.put("image " + i.id(), i.src() + " " + i.alt());
    }
    for (ShopifyProduct.Variant v : p.variants()) {
      texts.put("variant " + v.id(), v.sku() + " " + v.options() + " " + v.barcode() + " " + v.imageSrc());
      ShopifyProduct.Malformed money = firstNonNull(outOfRange("variant " + v.id() + " price", v.price()),
          outOfRange("variant " + v.id() + " compareAtPrice", v.compareAtPrice()),
          outOfRange("variant " + v.id() + " unitCost", v.costPerItem()));
      if (money != null) {
        return money;
      }
      if (v.grams() != null && v.grams().signum() < 0) {
        return new ShopifyProduct.Malformed("variant " + v.id() + " weight", v.grams().toPlainString(), "a weight cannot be negative");
      }
    }
    for (Map.Entry<String, String> text : texts.entrySet()) {
      if (text.getValue() != null && text.getValue().indexOf('\0') >= 0) {
        return new ShopifyProduct.Malformed(text.getKey(), shown(text.getValue().replace('\0', '\uFFFD')),
            "holds a NUL byte (U+0000), which PostgreSQL text cannot store");
      }
    }
    return null;
  }

  private static ShopifyProduct.Malformed outOfRange(String field, BigDecimal value) {
    if (value == null || (value.signum() >= 0 && value.abs().compareTo(MONEY_LIMIT) < 0)) {
      return null;
    }
    return new ShopifyProduct.Malformed(field, value.toPlainString(),
        "outside what the catalogue holds (numeric(12,2): 0 to 9999999999.99)");
  }

  private static ShopifyProduct.Malformed firstNonNull(ShopifyProduct.Malformed... candidates) {
    for (ShopifyProduct.Malformed m : candidates) {
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  private static String shown(String value) {
    return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
  }

  /** A field of a product that does not parse as its type, with the field's name and value. */
  private static final class MalformedField extends RuntimeException {
    final ShopifyProduct.Malformed malformed;

    MalformedField(String field, String value, String reason) {
      super(field + ": " + reason, null, false, false);
      this.malformed = new ShopifyProduct.Malformed(field, value == null ? null : shown(value), reason);
    }
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
    long id = ShopifyProduct.numericId(v.path("id").asString());
    String field = "variant " + id + " ";
    return new ShopifyProduct.Variant(id, text(v, "sku"),
        v.path("position").asInt(position), money(v, "price", field + "price"), money(v, "compareAtPrice", field + "compareAtPrice"),
        v.path("inventoryQuantity").isNumber() ? v.path("inventoryQuantity").asInt() : null, options,
        text(v, "barcode"), bool(v.path("taxable")), policy == null ? null : policy.toLowerCase(Locale.ROOT),
        item.path("tracked").asBoolean(false) ? "shopify" : null, bool(item.path("requiresShipping")),
        money(item.path("unitCost"), "amount", field + "unitCost"), grams, grams == null ? null : UNIT_NAMES.get(unit),
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

  private static BigDecimal money(JsonNode node, String field, String named) {
    String value = text(node, field);
    try {
      return value == null ? null : new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new MalformedField(named, value, "is not a number");
    }
  }

  /** A Float as its shortest decimal ({@code 0.5}, not 0.5000000000000000277…). */
  private static BigDecimal number(JsonNode value) {
    return value.isNumber() ? new BigDecimal(String.valueOf(value.asDouble())) : null;
  }
}
