package com.storeops.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API's settings; application.yml maps each from its environment variable and holds the default.
 *
 * @param key STOREOPS_API_KEY: the bearer key every request that changes something must carry; blank
 *     leaves the API open
 * @param idempotencyKeyRetention STOREOPS_IDEMPOTENCY_KEY_RETENTION: how long an {@code
 *     Idempotency-Key} replays the operation it started
 */
@ConfigurationProperties("storeops.api")
public record ApiSettings(String key, Duration idempotencyKeyRetention) {

  public boolean keyRequired() {
    return key != null && !key.isBlank();
  }
}
