package com.storeops.imports;

import com.storeops.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How imports load a file; defaults and the reasons for them are in application.yml and README.
 *
 * @param chunkProducts products per transaction ({@code STOREOPS_IMPORT_CHUNK_PRODUCTS})
 * @param parallelLoads slices of one import loaded side by side ({@code STOREOPS_IMPORT_PARALLEL_LOADS})
 */
@ConfigurationProperties("storeops.import")
public record ImportSettings(int chunkProducts, int parallelLoads) {

  public ImportSettings {
    if (chunkProducts < 1) {
      throw new InvalidSettingException("STOREOPS_IMPORT_CHUNK_PRODUCTS", "must be 1 or more, is " + chunkProducts);
    }
    if (parallelLoads < 1) {
      throw new InvalidSettingException("STOREOPS_IMPORT_PARALLEL_LOADS", "must be 1 or more, is " + parallelLoads);
    }
  }
}
