package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The sync's settings bind from the keys application.yml maps, and default when a key is absent. */
class ShopifySyncSettingsTest {

  @Test
  void theKeysOfApplicationYmlBind() {
    ShopifySyncSettings settings = bind(Map.of(
        "storeops.shopify.sync-page-size", "25",
        "storeops.shopify.bulk-poll-interval", "100ms",
        "storeops.shopify.sync-interval", "0s",
        "storeops.shopify.webhook-debounce", "1s"));

    assertThat(settings).isEqualTo(new ShopifySyncSettings(25, Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(1)));
  }

  @Test
  void absentKeysTakeTheDocumentedDefaults() {
    ShopifySyncSettings settings = bind(Map.of("storeops.shopify.shop", "a.myshopify.com"));

    assertThat(settings).isEqualTo(new ShopifySyncSettings(10, Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofSeconds(10)));
  }

  private static ShopifySyncSettings bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("storeops.shopify", ShopifySyncSettings.class);
  }
}
