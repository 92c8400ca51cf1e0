package com.storeops.batch;

import io.temporal.activity.ActivityInterface;
import java.util.UUID;

@ActivityInterface
public interface BatchUpdateActivities {

  /** Takes the snapshot of matched products and variants (a revert uses its original's); answers the product count. */
  long snapshot(Apply request);

  /** Applies (or reverts) the snapshot chunk by chunk, each one transaction; stops at a chunk boundary when cancelled. */
  Applied apply(Apply request);

  /** Sends the changed variants to Shopify, paced by its cost bucket. */
  Applied pushToShopify(Apply request);

  record Apply(UUID operationId, UUID revertOf) {}

  record Applied(long products, long variants) {}
}
