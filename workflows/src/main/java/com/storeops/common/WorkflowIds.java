package com.storeops.common;

import java.util.Locale;
import java.util.UUID;

/**
 * Workflow ids an operator can read in the Temporal Web UI: {@code <type>-<key>-<short id>}, e.g.
 * {@code import-spring-catalog.csv-3f2a9c1e} or {@code shopify-sync-acme.myshopify.com-0b7d4e12}. The key
 * says what the operation works on; the short id (the operation id's first eight hex digits) keeps
 * two operations on the same key apart and finds the operation in our API.
 */
public final class WorkflowIds {

  static final int MAX_KEY = 40;

  private WorkflowIds() {}

  public static String of(OperationType type, String key, UUID operationId) {
    String slug = key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^[-.]+|[-.]+$", "");
    if (slug.length() > MAX_KEY) {
      slug = slug.substring(0, MAX_KEY).replaceAll("[-.]+$", "");
    }
    String shortId = operationId.toString().substring(0, 8);
    return slug.isEmpty() ? type.slug() + "-" + shortId : type.slug() + "-" + slug + "-" + shortId;
  }
}
