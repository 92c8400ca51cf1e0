package com.storeops.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A product's status as {@code products.status} stores it (lower case), read in any case. */
public enum ProductStatus {
  ACTIVE, DRAFT, ARCHIVED, UNLISTED;

  public static final String EXPECTED = "expected active, draft, archived or unlisted";

  @JsonCreator
  public static ProductStatus of(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown status; " + EXPECTED);
    }
  }

  /** The stored spelling. */
  @JsonValue
  public String stored() {
    return name().toLowerCase(Locale.ROOT);
  }
}
