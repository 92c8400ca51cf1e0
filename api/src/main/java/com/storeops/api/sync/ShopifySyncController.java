package com.storeops.api.sync;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.shopify.ShopifySettings;
import com.storeops.sync.ShopifySyncStarter;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Starts a Shopify sync — one per shop at a time: a trigger while one runs answers the running
 * operation (200) instead of starting a second (202).
 */
@ApiRole
@RestController
class ShopifySyncController {

  /** {@code mode}: {@code incremental} (the default) or {@code full}. */
  record SyncBody(String shop, String mode) {}

  private final OperationViews views;
  private final ShopifySettings settings;
  private final ShopifySyncStarter starter;

  private final IdempotentStarts idempotent;

  ShopifySyncController(OperationViews views, ShopifySettings settings, ShopifySyncStarter starter, IdempotentStarts idempotent) {
    this.idempotent = idempotent;
    this.views = views;
    this.settings = settings;
    this.starter = starter;
  }

  @PostMapping("/api/operations/shopify-sync")
  ResponseEntity<?> start(@RequestBody(required = false) SyncBody body, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    return idempotent.once(idempotencyKey, "shopify-sync", String.valueOf(body), () -> start(body));
  }

  private ResponseEntity<OperationView> start(SyncBody body) {
    String shop = body == null || body.shop() == null ? "" : body.shop().strip();
    if (settings.shop() == null || settings.shop().isBlank()) {
      throw new InvalidFieldException("shop", "no Shopify shop is configured on this storeops (set SHOPIFY_SHOP)");
    }
    if (shop.isEmpty()) {
      throw new InvalidFieldException("shop", "required: the shop's domain, " + settings.shop());
    }
    if (!shop.equalsIgnoreCase(settings.shop())) {
      throw new InvalidFieldException("shop", "storeops syncs " + settings.shop() + ", not " + shop);
    }
    String mode = body.mode() == null ? "incremental" : body.mode();
    if (!mode.equals("incremental") && !mode.equals("full")) {
      throw new InvalidFieldException("mode", "must be 'incremental' or 'full'");
    }
    ShopifySyncStarter.Started sync = starter.start(settings.shop(), "full".equals(mode), "api");
    OperationView view = views.of(sync.operation());
    return sync.started()
        ? ResponseEntity.accepted().location(URI.create("/api/operations/" + view.id())).body(view)
        : ResponseEntity.ok(view);
  }
}
