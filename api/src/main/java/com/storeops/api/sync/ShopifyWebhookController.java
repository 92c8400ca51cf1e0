package com.storeops.api.sync;

import com.storeops.api.ApiRole;
import com.storeops.api.ApiSettings;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.UnauthorizedException;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyWebhooks;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shopify's product webhooks. Each delivery must carry the HMAC of its raw body under the app's
 * secret (compared in constant time), or it is refused with 401 and nothing is applied; a verified
 * one is applied once by {@link ShopifyWebhooks}.
 *
 * <p>The HMAC covers the body only, so every header can be replayed with new values. A delivery
 * whose {@code X-Shopify-Triggered-At} lies outside STOREOPS_WEBHOOK_MAX_AGE of now is answered 200
 * "stale" and not applied: Shopify retries any other status, the retry is only older, and a
 * subscription that keeps failing is removed. Within the window a replay is caught by the
 * deliveries remembered by signed body, whatever its headers say.
 */
@ApiRole
@RestController
class ShopifyWebhookController {

  private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookController.class);

  private final ShopifySettings settings;
  private final ShopifyWebhooks webhooks;
  private final Duration maxAge;

  ShopifyWebhookController(ShopifySettings settings, ShopifyWebhooks webhooks, ApiSettings apiSettings) {
    this.settings = settings;
    this.webhooks = webhooks;
    this.maxAge = apiSettings.webhookMaxAge();
  }

  @PostMapping("/api/webhooks/shopify")
  ResponseEntity<Map<String, String>> receive(
      @RequestBody(required = false) byte[] body,
      @RequestHeader(name = "X-Shopify-Hmac-Sha256", required = false) String hmac,
      @RequestHeader(name = "X-Shopify-Topic", required = false) String topic,
      @RequestHeader(name = "X-Shopify-Shop-Domain", required = false) String shop,
      @RequestHeader(name = "X-Shopify-Triggered-At", required = false) String triggeredAt) {
    byte[] raw = body == null ? new byte[0] : body;
    verify(raw, hmac);
    Instant triggered = triggeredAt(triggeredAt);
    if (settings.shop() == null || !settings.shop().equalsIgnoreCase(shop) || topic == null) {
      return ResponseEntity.ok(Map.of("status", "ignored"));
    }
    if (Duration.between(triggered, Instant.now()).abs().compareTo(maxAge) > 0) {
      log.warn("Webhook {} triggered at {} is outside STOREOPS_WEBHOOK_MAX_AGE ({}) of now: not applied", topic, triggered, maxAge);
      return ResponseEntity.ok(Map.of("status", "stale"));
    }
    ShopifyWebhooks.Outcome outcome = webhooks.apply(topic, raw);
    return ResponseEntity.ok(Map.of("status", outcome.name().toLowerCase(Locale.ROOT)));
  }
  private static Instant triggeredAt(String header) {
    if (header == null || header.isBlank()) {
      throw new InvalidFieldException("X-Shopify-Triggered-At", "required to refuse deliveries replayed long after the event");
    }
    try {
      return OffsetDateTime.parse(header.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidFieldException("X-Shopify-Triggered-At", "must be an ISO 8601 time with an offset, was " + header);
    }
  }

  private void verify(byte[] body, String hmac) {
    String secret = settings.apiSecret();
    if (secret == null || secret.isBlank()) {
      throw new UnauthorizedException("webhooks are not accepted: SHOPIFY_API_SECRET is not set");
    }
    if (hmac == null || hmac.isBlank()) {
      throw new UnauthorizedException("missing X-Shopify-Hmac-Sha256");
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      expected = mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(hmac.strip());
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("X-Shopify-Hmac-Sha256 does not match the body");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new UnauthorizedException("X-Shopify-Hmac-Sha256 does not match the body");
    }
  }
}
