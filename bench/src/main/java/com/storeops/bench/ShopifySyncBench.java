package com.storeops.bench;

import com.storeops.shopify.FakeShopify;
import java.nio.file.Path;
import java.util.Map;

/**
 * Shopify sync speed against the fake Shopify, through the packaged storeops:
 * (1) a full sync by bulk export of a 20 000-product shop with the bucket out of the way —
 * products per second; (2) an incremental sync of 600 changed products at Shopify's standard
 * 100 points/s with a 1000-point bucket — points spent per second as a fraction of the restore rate
 * (the pacing goal is ≥ 0.9): from the first request to the last, the points spent beyond what the
 * initial full bucket lent, over what the bucket restored meanwhile.
 */
public final class ShopifySyncBench {

  static final int SHOP_PRODUCTS = 20_000;
  static final int CHANGED = 600;
  static final double MAXIMUM = 1000;
  static final double RESTORE = 100;

  public static void main(String[] args) throws Exception {
    BenchDirectory.run("storeops-sync-bench", dir -> {
      Path jar = Path.of(args.length > 0 ? args[0] : "../api/target/storeops.jar");
      try (FakeShopify shop = new FakeShopify(1e9, 1e9)) {
        shop.addProducts(SHOP_PRODUCTS);
        Map<String, String> env = storeopsAgainst(shop);
        try (PackagedStoreops storeops = PackagedStoreops.start(jar, dir, env)) {
          long t0 = System.nanoTime();
          String full = storeops.awaitFinal(storeops.post("/api/operations/shopify-sync",
              "{\"shop\": \"fake.myshopify.com\", \"mode\": \"full\"}"));
          double fullSeconds = (System.nanoTime() - t0) / 1e9;

          for (int i = 0; i < CHANGED; i++) {
            shop.update(i * (SHOP_PRODUCTS / CHANGED), p -> p.title = p.title + " (changed)");
          }
          shop.limits(MAXIMUM, RESTORE);
          t0 = System.nanoTime();
          String incremental = storeops.awaitFinal(storeops.post("/api/operations/shopify-sync",
              "{\"shop\": \"fake.myshopify.com\", \"mode\": \"incremental\"}"));
          double incSeconds = (System.nanoTime() - t0) / 1e9;
          double spent = shop.pointsSpent();

          System.out.println();
          System.out.println("== Shopify sync (bench/ShopifySyncBench) ==");
          System.out.printf("full sync by bulk export: %d products in %.1f s = %.0f products/s (%s)%n",
              SHOP_PRODUCTS, fullSeconds, SHOP_PRODUCTS / fullSeconds, full);
          System.out.printf("incremental sync of %d changed products at %.0f points/s, bucket %.0f: %.1f s, %.0f points, %d THROTTLED (%s)%n",
              CHANGED, RESTORE, MAXIMUM, incSeconds, spent, shop.throttledAnswers(), incremental);
          double used = shop.restoreRateUsed();
          System.out.printf("points/s beyond the first full bucket, start to end of the operation: %.1f = %.2f × the restore rate%n",
              (spent - MAXIMUM) / incSeconds, (spent - MAXIMUM) / incSeconds / RESTORE);
          System.out.printf("points/s spent of what the bucket restored, first to last request: %.1f = %.2f × the restore rate (goal ≥ 0.9)%n",
              used * RESTORE, used);
        }
      }
    });
  }

  /** storeops pointed at the fake shop, its schedule off (the bench starts each sync) and bulk polls brisk. */
  static Map<String, String> storeopsAgainst(FakeShopify shop) {
    return Map.of(
        "SHOPIFY_SHOP", "fake.myshopify.com",
        "SHOPIFY_ACCESS_TOKEN", FakeShopify.TOKEN,
        "SHOPIFY_BASE_URL", shop.baseUrl().toString(),
        "SHOPIFY_SYNC_INTERVAL", "0s",
        "SHOPIFY_BULK_POLL_INTERVAL", "1s");
  }
}
