package com.storeops.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Batch-update settings; defaults in application.yml.
 *
 * @param chunkProducts products per chunk, each chunk one transaction (STOREOPS_BATCH_CHUNK_PRODUCTS):
 *     larger chunks run faster, smaller ones hold locks shorter and stop sooner on cancel
 */
@ConfigurationProperties("storeops.batch")
public record BatchSettings(int chunkProducts) {

  public BatchSettings {
    if (chunkProducts < 1) {
      throw new IllegalArgumentException("storeops.batch.chunk-products must be at least 1, was " + chunkProducts);
    }
  }
}
