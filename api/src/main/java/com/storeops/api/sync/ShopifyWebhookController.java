package com.storeops.api.sync;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.UnauthorizedException;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifyWebhooks;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shopify's product webhooks. Each delivery must carry the HMAC of its raw body under the app's
 * secret (compared in constant time), or it is refused with 401 and nothing is applied; a verified
 * one is applied once by {@link ShopifyWebhooks}.
 */
@ApiRole
@RestController
class ShopifyWebhookController {

  private final ShopifySettings settings;
  private final ShopifyWebhooks webhooks;

  ShopifyWebhookController(ShopifySettings settings, ShopifyWebhooks webhooks) {
    this.settings = settings;
    this.webhooks = webhooks;
  }

  @PostMapping("/api/webhooks/shopify")
  ResponseEntity<Map<String, String>> receive(
      @RequestBody(required = false) byte[] body,
      @RequestHeader(name = "X-Shopify-Hmac-Sha256", required = false) String hmac,
      @RequestHeader(name = "X-Shopify-Topic", required = false) String topic,
      @RequestHeader(name = "X-Shopify-Shop-Domain", required = false) String shop,
      @RequestHeader(name = "X-Shopify-Webhook-Id", required = false) String webhookId,
      @RequestHeader(name = "X-Shopify-Event-Id", required = false) String eventId) {
    byte[] raw = body == null ? new byte[0] : body;
    verify(raw, hmac);
    String delivery = eventId != null && !eventId.isBlank() ? eventId : webhookId;
    if (delivery == null || delivery.isBlank()) {
      throw new InvalidFieldException("X-Shopify-Webhook-Id", "required to recognise repeated deliveries");
    }
    if (settings.shop() == null || !settings.shop().equalsIgnoreCase(shop) || topic == null) {
      return ResponseEntity.ok(Map.of("status", "ignored"));
    }
    ShopifyWebhooks.Outcome outcome = webhooks.apply(delivery, topic, raw);
    return ResponseEntity.ok(Map.of("status", outcome.name().toLowerCase(Locale.ROOT)));
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
