package com.storeops.shopify;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The configured shop's client for an activity asked to work on a shop: a worker reaches only the
 * shop its SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN name, so any other is refused (not retried).
 */
@Component
public class ShopifyShop {

  private final ObjectProvider<ShopifyGraphql> shopify;
  private final ShopifySettings settings;

  public ShopifyShop(ObjectProvider<ShopifyGraphql> shopify, ShopifySettings settings) {
    this.shopify = shopify;
    this.settings = settings;
  }

  public ShopifyGraphql client(String shop) {
    ShopifyGraphql client = shopify.getIfAvailable();
    if (client == null) {
      throw new ShopifyException("this worker has no Shopify shop configured: set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN", false);
    }
    if (!shop.equals(settings.shop())) {
      throw new ShopifyException("this worker syncs " + settings.shop() + ", not " + shop, false);
    }
    return client;
  }
}
