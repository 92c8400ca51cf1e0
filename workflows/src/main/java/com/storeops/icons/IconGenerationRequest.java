package com.storeops.icons;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an icon generation was asked to do, stored as the operation's parameters: written by the API
 * when it starts the operation, read by the activities that select and render the products (both
 * with Jackson, so the JSON keys are these component names).
 *
 * @param all every product that is not deleted; otherwise only {@code productIds}
 * @param productIds the products to render when not {@code all}
 * @param sizes the sizes to render, each once
 * @param force render even when the product's icons were drawn from the same source
 */
public record IconGenerationRequest(boolean all, List<Long> productIds, List<IconSize> sizes, boolean force) {

  public IconGenerationRequest {
    productIds = productIds == null ? List.of() : List.copyOf(productIds);
    // A size asked for twice is rendered once: one row per product and size.
    sizes = sizes == null ? List.of() : List.copyOf(new LinkedHashSet<>(sizes));
  }
}
