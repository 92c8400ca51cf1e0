package com.storeops.api.sync;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.UnauthorizedException;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifySyncRepository;
import com.storeops.sync.ShopifySyncSchedule;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Shopify's product webhooks. Each delivery must carry the HMAC of its raw body under the app's
 * secret (compared in constant time), or it is refused with 401 and nothing is applied. A delivery
 * already applied (Shopify delivers at least once) is acknowledged and ignored. Product changes ask
 * the shop's sync schedule for a debounced incremental sync; a deletion is applied at once (an
 * incremental sync never sees deleted products). Work here is a few milliseconds: Shopify wants an
 * answer within 5 s.
 */
@ApiRole
@RestController
class ShopifyWebhookController {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> CHANGES = Set.of("products/create", "products/update");

  private final ShopifySettings settings;
  private final ShopifySyncSchedule schedule;
  private final ShopifySyncRepository repository;

  ShopifyWebhookController(ShopifySettings settings, ShopifySyncSchedule schedule, ShopifySyncRepository repository) {
    this.settings = settings;
    this.schedule = schedule;
    this.repository = repository;
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
    if (!repository.recordDelivery(delivery, topic)) {
      return ResponseEntity.ok(Map.of("status", "duplicate"));
    }
    try {
      if (CHANGES.contains(topic)) {
        schedule.productsChanged();
      } else if (topic.equals("products/delete")) {
        JsonNode product = JSON.readTree(raw);
        repository.softDeleteProduct(product.path("id").asLong());
      } else {
        return ResponseEntity.ok(Map.of("status", "ignored"));
      }
    } catch (RuntimeException e) {
      // Not applied: forget the delivery so that Shopify's retry is not taken for a repeat.
      repository.forgetDelivery(delivery);
      throw e;
    }
    return ResponseEntity.ok(Map.of("status", "accepted"));
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
