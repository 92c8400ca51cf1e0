package com.storeops.sync;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the sync runs, beside {@link com.storeops.shopify.ShopifySettings} (how to reach the shop).
 * The defaults here are the ones that apply; application.yml maps each environment variable.
 *
 * @param syncPageSize products per incremental page: {@code 2 + size × 86} cost points by Shopify's
 *     rule ({@link ShopifyProductReader#pageCost}); Shopify refuses one query above 1 000, so the
 *     default 10 fits and 11 is the most; {@link ShopifyPageSizeCheck} stops startup above it (SHOPIFY_SYNC_PAGE_SIZE)
 * @param bulkPollInterval how often a full sync asks whether its bulk export is ready (SHOPIFY_BULK_POLL_INTERVAL)
 * @param syncInterval between periodic incremental syncs; 0 for none, webhooks only (SHOPIFY_SYNC_INTERVAL)
 * @param webhookDebounce how long the shop stays quiet after a change before the sync starts (SHOPIFY_WEBHOOK_DEBOUNCE)
 */
@ConfigurationProperties("storeops.shopify")
public record ShopifySyncSettings(Integer syncPageSize, Duration bulkPollInterval, Duration syncInterval, Duration webhookDebounce) {

  public ShopifySyncSettings {
    syncPageSize = syncPageSize == null || syncPageSize < 1 ? 10 : syncPageSize;
    bulkPollInterval = bulkPollInterval == null ? Duration.ofSeconds(5) : bulkPollInterval;
    syncInterval = syncInterval == null ? Duration.ofMinutes(15) : syncInterval;
    webhookDebounce = webhookDebounce == null ? Duration.ofSeconds(10) : webhookDebounce;
  }
}
