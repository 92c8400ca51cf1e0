package com.storeops.sync;

import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies a verified product webhook once. Shopify delivers at least once, so each delivery is
 * remembered by its topic and signed body, and a repeat is acknowledged without effect. Product changes ask the shop's schedule
 * for a debounced incremental sync; a deletion is applied at once (an incremental sync never sees
 * deleted products). Work here is a few milliseconds: Shopify wants an answer within 5 s.
 */
@Component
public class ShopifyWebhooks {

  public enum Outcome { ACCEPTED, DUPLICATE, IGNORED }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> CHANGES = Set.of("products/create", "products/update");

  private final ShopifySyncRepository repository;
  private final ShopifySyncSchedule schedule;

  public ShopifyWebhooks(ShopifySyncRepository repository, ShopifySyncSchedule schedule) {
    this.repository = repository;
    this.schedule = schedule;
  }

  public Outcome apply(String topic, byte[] body) {
    if (!repository.recordDelivery(topic, body)) {
      return Outcome.DUPLICATE;
    }
    try {
      if (CHANGES.contains(topic)) {
        schedule.productsChanged();
      } else if (topic.equals("products/delete")) {
        JsonNode product = JSON.readTree(body);
        repository.softDeleteProduct(product.path("id").asLong());
      } else {
        return Outcome.IGNORED;
      }
    } catch (RuntimeException e) {
      // Not applied: forget the delivery so that Shopify's retry is not taken for a repeat.
      repository.forgetDelivery(topic, body);
      throw e;
    }
    return Outcome.ACCEPTED;
  }
}
