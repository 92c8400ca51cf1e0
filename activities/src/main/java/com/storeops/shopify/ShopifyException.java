package com.storeops.shopify;

import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * A Shopify request that did not succeed. {@code retryable} tells the activity whether Temporal's
 * retry may help (5xx, 429, timeouts that outlasted the client's own attempts) or not (a refused
 * token, a query that costs more than the bucket holds, any other GraphQL error: a bug to fix).
 * Messages name the shop and the reason, never the token.
 */
public final class ShopifyException extends RuntimeException {

  private final boolean retryable;

  public ShopifyException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Runs an activity's work, turning a ShopifyException into the failure Temporal should see. */
  public static <T> T failingForTemporal(Supplier<T> work) {
    try {
      return work.get();
    } catch (ShopifyException e) {
      throw e.toFailure();
    }
  }

  /** For an activity to throw: Temporal retries "ShopifyUnavailable", never "ShopifyRefused". */
  public ApplicationFailure toFailure() {
    return retryable ? ApplicationFailure.newFailure(getMessage(), "ShopifyUnavailable")
        : ApplicationFailure.newNonRetryableFailure(getMessage(), "ShopifyRefused");
  }
}
