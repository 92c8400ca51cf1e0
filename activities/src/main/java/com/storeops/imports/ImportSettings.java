package com.storeops.imports;

import com.storeops.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How imports load a file; defaults and the reasons for them are in application.yml and README.
 *
 * @param chunkProducts products per transaction ({@code STOREOPS_IMPORT_CHUNK_PRODUCTS})
 * @param parallelLoads slices of one import loaded side by side ({@code STOREOPS_IMPORT_PARALLEL_LOADS})
 * @param maxProductRows rows one product may have ({@code STOREOPS_IMPORT_MAX_PRODUCT_ROWS}); a chunk
 *     also ends once its rows reach this many, so that no chunk holds much more than one such product
 * @param maxProductChars characters one product may have, and one row ({@code STOREOPS_IMPORT_MAX_PRODUCT_CHARS});
 *     a chunk also ends once its characters reach this many
 * @param keysInMemory handles and SKUs the scan holds to find a file's repeats itself
 *     ({@code STOREOPS_IMPORT_KEYS_IN_MEMORY}); a file with more has PostgreSQL find them; 0: always
 */
@ConfigurationProperties("storeops.import")
public record ImportSettings(int chunkProducts, int parallelLoads, int maxProductRows, int maxProductChars, int keysInMemory) {

  static final int MAX_KEYS_IN_MEMORY = 80_000_000;

  public ImportSettings {
    if (chunkProducts < 1) {
      throw new InvalidSettingException("STOREOPS_IMPORT_CHUNK_PRODUCTS", "must be 1 or more, is " + chunkProducts);
    }
    if (parallelLoads < 1) {
      throw new InvalidSettingException("STOREOPS_IMPORT_PARALLEL_LOADS", "must be 1 or more, is " + parallelLoads);
    }
    if (maxProductRows < 1) {
      throw new InvalidSettingException("STOREOPS_IMPORT_MAX_PRODUCT_ROWS", "must be 1 or more, is " + maxProductRows);
    }
    if (maxProductChars < 10_000) {
      throw new InvalidSettingException("STOREOPS_IMPORT_MAX_PRODUCT_CHARS", "must be 10000 or more, is " + maxProductChars);
    }
    if (keysInMemory < 0 || keysInMemory > MAX_KEYS_IN_MEMORY) {
      // their bytes, 25 a key at most, go into one array
      throw new InvalidSettingException("STOREOPS_IMPORT_KEYS_IN_MEMORY",
          "must be between 0 and " + MAX_KEYS_IN_MEMORY + ", is " + keysInMemory);
    }
  }

  /** What the CSV reader may hold of one product. */
  public ShopifyCsvReader.Limits limits() {
    return new ShopifyCsvReader.Limits(maxProductRows, maxProductChars);
  }
}
