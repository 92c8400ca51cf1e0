package com.storeops.batch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What a batch update changes and on which products, read from the request's JSON with every
 * mistake reported by its path: unknown fields, wrong types, an empty change set, two changes to one
 * field. The same record, stored in the operation's parameters, drives the workflow's activities.
 */
public record BatchSpec(Filter filter, Changes changes) {

  /** Products matching every given criterion; {@code all} for every product. */
  public record Filter(boolean all, List<String> handles, List<String> skus, String vendor, String productType, String tag,
      String status, Instant updatedBefore) {}

  /** {@code priceMode}: set, percent or add; {@code inventoryMode}: set or add. Nulls change nothing. */
  public record Changes(String priceMode, BigDecimal price, String compareAtMode, BigDecimal compareAtPrice,
      List<String> addTags, List<String> removeTags, String status, String inventoryMode, Integer inventory) {

    boolean touchesVariants() {
      return priceMode != null || compareAtMode != null || inventoryMode != null;
    }

    boolean touchesProducts() {
      return !addTags.isEmpty() || !removeTags.isEmpty() || status != null;
    }
  }

  private static final Set<String> STATUSES = Set.of("active", "draft", "archived", "unlisted");

  public static BatchSpec parse(JsonNode request) {
    only(request, "", Set.of("filter", "changes", "dryRun", "pushToShopify"));
    return new BatchSpec(filter(request.path("filter")), changes(request.path("changes")));
  }

  private static Filter filter(JsonNode f) {
    if (!f.isObject()) {
      throw new BatchSpecException("filter", "required: an object with handles, skus, vendor, productType, tag, status,"
          + " updatedBefore, or \"all\": true");
    }
    only(f, "filter.", Set.of("all", "handles", "skus", "vendor", "productType", "tag", "status", "updatedBefore"));
    boolean all = bool(f, "all", "filter.all");
    Filter filter = new Filter(all, strings(f, "handles", "filter.handles"), strings(f, "skus", "filter.skus"),
        text(f, "vendor", "filter.vendor"), text(f, "productType", "filter.productType"), text(f, "tag", "filter.tag"),
        status(f, "filter.status"), instant(f, "updatedBefore", "filter.updatedBefore"));
    boolean any = !filter.handles().isEmpty() || !filter.skus().isEmpty() || filter.vendor() != null || filter.productType() != null
        || filter.tag() != null || filter.status() != null || filter.updatedBefore() != null;
    if (!any && !all) {
      throw new BatchSpecException("filter", "give at least one criterion, or \"all\": true to change every product");
    }
    if (any && all) {
      throw new BatchSpecException("filter.all", "\"all\" cannot be combined with other criteria");
    }
    return filter;
  }

  private static Changes changes(JsonNode c) {
    if (!c.isObject() || c.isEmpty()) {
      throw new BatchSpecException("changes", "required: at least one of price, compareAtPrice, tags, status, inventory");
    }
    only(c, "changes.", Set.of("price", "compareAtPrice", "tags", "status", "inventory"));
    String[] price = one(c.path("price"), "changes.price", Set.of("set", "percent", "add"));
    String[] compare = one(c.path("compareAtPrice"), "changes.compareAtPrice", Set.of("set", "clear"));
    String[] inventory = one(c.path("inventory"), "changes.inventory", Set.of("set", "add"));
    JsonNode tags = c.path("tags");
    List<String> add = List.of();
    List<String> remove = List.of();
    if (!tags.isMissingNode()) {
      only(tags, "changes.tags.", Set.of("add", "remove"));
      add = strings(tags, "add", "changes.tags.add");
      remove = strings(tags, "remove", "changes.tags.remove");
      if (add.isEmpty() && remove.isEmpty()) {
        throw new BatchSpecException("changes.tags", "give tags to add or to remove");
      }
      for (String t : add) {
        if (remove.contains(t)) {
          throw new BatchSpecException("changes.tags", "'" + t + "' is both added and removed");
        }
      }
    }
    String status = null;
    if (!c.path("status").isMissingNode()) {
      only(c.path("status"), "changes.status.", Set.of("set"));
      status = status(c.path("status"), "changes.status.set", "set");
      if (status == null) {
        throw new BatchSpecException("changes.status.set", "required: active, draft, archived or unlisted");
      }
    }
    BigDecimal priceValue = price == null ? null : money(c.path("price"), price[0], "changes.price." + price[0], !price[0].equals("set"));
    if (priceValue != null && price[0].equals("percent") && priceValue.compareTo(BigDecimal.valueOf(-100)) < 0) {
      throw new BatchSpecException("changes.price.percent", "below -100 % every price would be negative");
    }
    BigDecimal compareValue = compare == null || compare[0].equals("clear") ? null
        : money(c.path("compareAtPrice"), "set", "changes.compareAtPrice.set", false);
    if (compare != null && compare[0].equals("clear") && !c.path("compareAtPrice").path("clear").asBoolean(false)) {
      throw new BatchSpecException("changes.compareAtPrice.clear", "must be true");
    }
    Integer inventoryValue = null;
    if (inventory != null) {
      JsonNode n = c.path("inventory").path(inventory[0]);
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw new BatchSpecException("changes.inventory." + inventory[0], "must be a whole number");
      }
      inventoryValue = n.asInt();
    }
    return new Changes(price == null ? null : price[0], priceValue, compare == null ? null : compare[0], compareValue, add, remove,
        status, inventory == null ? null : inventory[0], inventoryValue);
  }

  /** The one operation given for a field ({@code {"set": …}}), or null when the field is absent. */
  private static String[] one(JsonNode node, String path, Set<String> modes) {
    if (node.isMissingNode()) {
      return null;
    }
    if (!node.isObject() || node.size() != 1) {
      throw new BatchSpecException(path, "give exactly one of " + String.join(", ", modes.stream().sorted().toList())
          + (node.isObject() && node.size() > 1 ? ": conflicting changes to one field" : ""));
    }
    String mode = node.propertyNames().iterator().next();
    if (!modes.contains(mode)) {
      throw new BatchSpecException(path + "." + mode, "unknown; expected one of " + String.join(", ", modes.stream().sorted().toList()));
    }
    return new String[] {mode};
  }

  private static BigDecimal money(JsonNode parent, String key, String path, boolean signed) {
    JsonNode n = parent.path(key);
    BigDecimal value;
    try {
      value = n.isNumber() ? n.decimalValue() : n.isString() ? new BigDecimal(n.asString()) : null;
    } catch (NumberFormatException e) {
      value = null;
    }
    if (value == null) {
      throw new BatchSpecException(path, "must be a number");
    }
    if (!signed && value.signum() < 0) {
      throw new BatchSpecException(path, "must not be negative");
    }
    return value;
  }

  private static void only(JsonNode node, String prefix, Set<String> known) {
    if (!node.isObject()) {
      throw new BatchSpecException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "must be a JSON object");
    }
    for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new BatchSpecException(prefix + name, "unknown field; expected one of " + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static boolean bool(JsonNode node, String key, String path) {
    JsonNode n = node.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new BatchSpecException(path, "must be true or false");
    }
    return n.asBoolean();
  }

  private static String text(JsonNode node, String key, String path) {
    JsonNode n = node.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isString() || n.asString().isBlank()) {
      throw new BatchSpecException(path, "must be a non-empty string");
    }
    return n.asString().strip();
  }

  private static String status(JsonNode node, String path) {
    return status(node, path, "status");
  }

  private static String status(JsonNode node, String path, String key) {
    String value = text(node, key, path);
    if (value != null && !STATUSES.contains(value.toLowerCase(Locale.ROOT))) {
      throw new BatchSpecException(path, "unknown status; expected active, draft, archived or unlisted");
    }
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }

  private static List<String> strings(JsonNode node, String key, String path) {
    JsonNode n = node.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new BatchSpecException(path, "must be a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode v : n) {
      if (!v.isString() || v.asString().isBlank()) {
        throw new BatchSpecException(path, "must be a list of non-empty strings");
      }
      values.add(v.asString().strip());
    }
    return List.copyOf(values);
  }

  private static Instant instant(JsonNode node, String key, String path) {
    String value = text(node, key, path);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new BatchSpecException(path, "must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
    }
  }
}
