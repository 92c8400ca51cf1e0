package com.storeops.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with an incremental page Shopify would refuse: it prices a query before running
 * it and answers MAX_COST_EXCEEDED, on every page and every retry, to one above 1 000 points. Tests
 * that page a fake shop in larger pages build {@link ShopifySyncSettings} themselves and never
 * start this check, so it needs no exception for them.
 */
@Component
class ShopifyPageSizeCheck {

  /** The most one Admin GraphQL query may ask, whatever the shop's plan. */
  static final int SINGLE_QUERY_LIMIT = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ShopifyPageSizeCheck.class);

  ShopifyPageSizeCheck(ShopifySyncSettings settings) {
    int size = settings.syncPageSize();
    int largest = largestPage();
    String arithmetic = "a page of " + size + " products asks " + ShopifyProductReader.pageCost(size) + " cost points ("
        + ShopifyProductReader.pageCost(0) + " + " + size + " × " + (ShopifyProductReader.pageCost(1) - ShopifyProductReader.pageCost(0))
        + ")";
    if (size > largest) {
      throw new IllegalStateException("SHOPIFY_SYNC_PAGE_SIZE=" + size + " is too large: " + arithmetic
          + ", and Shopify refuses a single query above " + SINGLE_QUERY_LIMIT + " points; " + largest + " is the most");
    }
    log.info("Shopify sync: {}, under Shopify's {} per query", arithmetic, SINGLE_QUERY_LIMIT);
  }

  static int largestPage() {
    int size = 1;
    while (ShopifyProductReader.pageCost(size + 1) <= SINGLE_QUERY_LIMIT) {
      size++;
    }
    return size;
  }
}
