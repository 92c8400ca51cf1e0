package com.storeops.api;

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
 */
@ConfigurationProperties("storeops.api")
public record ApiSettings(String key, Duration idempotencyKeyRetention, DataSize webhookMaxBytes) {

  public boolean keyRequired() {
    return key != null && !key.isBlank();
  }
}
