package com.storeops.sync;

import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where incremental syncs start: the newest {@code updatedAt} a sync of the shop has written. It
 * only moves forward, and only once a sync has written every page, so a failed sync is repeated
 * from the same point. The newest value seen travels in the heartbeat as ISO text.
 */
@Component
class ShopifySyncWatermark {

  private final ShopifySyncRepository repository;

  ShopifySyncWatermark(ShopifySyncRepository repository) {
    this.repository = repository;
  }

  /** Shopify's search for the products updated since the watermark; null (every product) before the first sync. */
  String updatedSinceQuery(String shop) {
    return ShopifyProductReader.updatedSince(repository.watermark(shop).orElse(null));
  }

  /** After a sync wrote every page: {@code newest} is null when it saw no product. */
  void advance(String shop, String newest) {
    if (newest != null) {
      repository.advanceWatermark(shop, Instant.parse(newest));
    }
  }

  /** The latest updatedAt of {@code before} and these products (a malformed one may have none). */
  static String newest(String before, List<ShopifyProduct> products) {
    Instant newest = before == null ? null : Instant.parse(before);
    for (ShopifyProduct p : products) {
      if (p.updatedAt() != null && (newest == null || p.updatedAt().isAfter(newest))) {
        newest = p.updatedAt();
      }
    }
    return newest == null ? null : newest.toString();
  }
}
