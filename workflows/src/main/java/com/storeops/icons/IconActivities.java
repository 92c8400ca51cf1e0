package com.storeops.icons;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.UUID;

@ActivityInterface
public interface IconActivities {

  /** The next selected product ids after {@code after} (the selection lives on the operation row). */
  List<Long> nextProducts(UUID operationId, long after, int limit);

  /** Renders one product's icons (unless its source is unchanged); a bad image is the product's error, not a failure. */
  String renderProduct(UUID operationId, long productId);

  void finish(UUID operationId, String status, String error);
}
