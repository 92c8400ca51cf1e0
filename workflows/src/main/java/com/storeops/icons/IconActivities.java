package com.storeops.icons;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.UUID;

@ActivityInterface
public interface IconActivities {

  /** Up to {@code limit} selected product ids after {@code after}, in id order. */
  record ProductsAfter(UUID operationId, long after, int limit) {}

  record ProductPage(List<Long> productIds) {}

  /** A few products whose icons one activity renders, one after the other. */
  record RenderBatch(UUID operationId, List<Long> productIds) {}

  /** How many of the batch's products this attempt handled (a retry skips those its heartbeats confirmed). */
  record Rendered(int products) {}

  /**
   * The next page of the operation's selection (read from its parameters); the first page
   * ({@code after} 0) also marks the operation running and sets its total.
   */
  ProductPage nextProducts(ProductsAfter request);

  /**
   * Renders each product's icons (unless its source is unchanged), committing product by product; a
   * bad image is the product's error, not a failure.
   */
  Rendered renderProducts(RenderBatch batch);
}
