package com.storeops.icons;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.UUID;

@ActivityInterface
public interface IconActivities {

  /** A few products whose icons one activity renders, one after the other. */
  record RenderBatch(UUID operationId, List<Long> productIds) {}

  /** How many of the batch's products this attempt handled (a retry skips those its heartbeats confirmed). */
  record Rendered(int products) {}

  /** The next selected product ids after {@code after} (the selection lives on the operation row). */
  List<Long> nextProducts(UUID operationId, long after, int limit);

  /**
   * Renders each product's icons (unless its source is unchanged), committing product by product; a
   * bad image is the product's error, not a failure.
   */
  Rendered renderProducts(RenderBatch batch);

  /** One product: what workflows started before batches ask for (their histories replay it). */
  String renderProduct(UUID operationId, long productId);

  void finish(UUID operationId, String status, String error);
}
