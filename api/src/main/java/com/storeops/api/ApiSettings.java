package com.storeops.api;

import com.storeops.config.InvalidSettingException;
import com.storeops.sync.ShopifySyncRepository;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API's settings; application.yml maps each from its environment variable and holds the default.
 *
 * @param key STOREOPS_API_KEY: the bearer key requests under /api and /actuator must carry (what stays
 *     open is listed in ApiKeyFilter); blank leaves the API open
 * @param idempotencyKeyRetention STOREOPS_IDEMPOTENCY_KEY_RETENTION: how long an {@code
 *     Idempotency-Key} replays the operation it started
 * @param webhookMaxBytes STOREOPS_WEBHOOK_MAX_BYTES: the largest webhook body read (413 beyond)
 * @param webhookMaxAge STOREOPS_WEBHOOK_MAX_AGE: how far a webhook's X-Shopify-Triggered-At may be
 *     from now (either way) for it to be applied; at most as long as deliveries are remembered, so
 *     that no delivery old enough to be forgotten is ever applied again
 */
@ConfigurationProperties("storeops.api")
public record ApiSettings(String key, Duration idempotencyKeyRetention, DataSize webhookMaxBytes, Duration webhookMaxAge) {

  public ApiSettings {
    if (key != null && key.chars().anyMatch(Character::isISOControl)) {
      // A line break kept from a secrets file: no request's header could match it. The key is not shown.
      throw new InvalidSettingException("STOREOPS_API_KEY", "contains a control character (a line break kept from a file?)");
    }
    InvalidSettingException.requireSet("STOREOPS_WEBHOOK_MAX_AGE", webhookMaxAge);
    if (webhookMaxAge.isNegative() || webhookMaxAge.isZero() || webhookMaxAge.compareTo(ShopifySyncRepository.DELIVERY_RETENTION) > 0) {
      throw new InvalidSettingException("STOREOPS_WEBHOOK_MAX_AGE",
          "must be above 0 and at most " + ShopifySyncRepository.DELIVERY_RETENTION.toDays()
              + " days (how long deliveries are remembered), was " + webhookMaxAge);
    }
  }

  public boolean keyRequired() {
    return key != null && !key.isBlank();
  }
}
