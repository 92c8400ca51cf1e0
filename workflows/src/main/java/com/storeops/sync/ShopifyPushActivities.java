package com.storeops.sync;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Writes catalogue changes back to Shopify, paced by the shop's cost bucket (batch updates use it). */
@ActivityInterface
public interface ShopifyPushActivities {

  /**
   * Sends exactly the fields named in {@code fields} of these products and variants, each with the
   * mutation Shopify has for it: price, compare-at price and SKU with {@code productVariantsBulkUpdate}
   * (one call per product), status and stored tags with {@code productUpdate}, added and removed tags
   * with {@code tagsAdd} / {@code tagsRemove}, inventory with {@code inventorySetQuantities} or
   * {@code inventoryAdjustQuantities}. Products and variants Shopify does not know (no Shopify id)
   * are skipped and counted.
   */
  Pushed pushChanges(PushChanges request);

  /**
   * {@code productIds}, {@code variantIds}: ours, a chunk at a time. {@code key} names this chunk of
   * this push; a retry of the chunk passes the same key, so Shopify applies an inventory change once.
   */
  record PushChanges(String shop, String key, List<Long> productIds, List<Long> variantIds, PushFields fields) {}

  /**
   * What to send. Absolute fields send the value stored now: {@code price}, {@code compareAtPrice}
   * (null clears it), {@code sku} (a variant without one is left alone), {@code status}, {@code tags}
   * (the whole list) and {@code inventory} without a delta. Relative ones send the change itself, so
   * what changed in Shopify since the last sync stays: {@code addTags}, {@code removeTags}, and
   * {@code inventoryDelta} when {@code inventory} is set.
   */
  record PushFields(boolean price, boolean compareAtPrice, boolean sku, boolean status, boolean tags,
      List<String> addTags, List<String> removeTags, boolean inventory, Integer inventoryDelta) {

    public PushFields {
      addTags = addTags == null ? List.of() : addTags;
      removeTags = removeTags == null ? List.of() : removeTags;
    }

    /** The variant fields {@code productVariantsBulkUpdate} carries. */
    public boolean variantFields() {
      return price || compareAtPrice || sku;
    }

    public boolean productFields() {
      return status || tags || !addTags.isEmpty() || !removeTags.isEmpty();
    }
  }

  /** {@code pushed}: variants whose variant fields went through; {@code products}: products whose product fields did. */
  record Pushed(int pushed, int products, int skipped, List<String> errors) {}
}
