package com.storeops.icons;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Shopify's named image sizes, square, in pixels: what a request may ask for, what the activity
 * renders and what {@code GET /api/products/{id}/icons/{name}.png} serves. In JSON a size is its
 * lower-case name ({@code "pico"}).
 */
public enum IconSize {
  PICO(16),
  ICON(32),
  THUMB(50),
  SMALL(100),
  COMPACT(160),
  MEDIUM(240);

  private final int pixels;

  IconSize(int pixels) {
    this.pixels = pixels;
  }

  public int pixels() {
    return pixels;
  }

  /** The name a request and an icon's URL use. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The size with this {@link #label()}, if there is one. */
  public static Optional<IconSize> named(String label) {
    return Arrays.stream(values()).filter(size -> size.label().equals(label)).findFirst();
  }

  /** Every label, smallest first, for messages: {@code pico, icon, …}. */
  public static String labels() {
    return Arrays.stream(values()).map(IconSize::label).collect(Collectors.joining(", "));
  }
}
