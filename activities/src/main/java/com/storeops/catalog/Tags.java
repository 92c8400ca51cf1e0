package com.storeops.catalog;

import java.util.List;

/**
 * Tags travel to PostgreSQL as one text per product, joined with the unit separator (which no tag
 * contains), and become {@code text[]} again in SQL: one array parameter per column stays flat.
 */
public final class Tags {

  /** SQL turning column {@code t.tags} back into {@code text[]}, empty when null. */
  public static final String SPLIT = "coalesce(string_to_array(t.tags, E'\\x1f'), '{}')";

  private Tags() {}

  public static String join(List<String> tags) {
    return tags == null ? null : String.join("\u001f", tags);
  }
}
