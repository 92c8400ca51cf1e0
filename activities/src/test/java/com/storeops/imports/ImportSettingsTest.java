package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** storeops.import binds to ImportSettings, and a value an import cannot run with stops startup. */
class ImportSettingsTest {

  private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(ImportConfig.class);

  @Test
  void bindsTheImportSettingsFromStoreopsImport() {
    context.withPropertyValues("storeops.import.chunk-products=500", "storeops.import.parallel-loads=3",
            "storeops.import.max-product-rows=300", "storeops.import.max-product-chars=200000",
            "storeops.import.keys-in-memory=1000")
        .run(app -> assertThat(app.getBean(ImportSettings.class)).isEqualTo(new ImportSettings(500, 3, 300, 200_000, 1000)));
  }

  @Test
  void valuesOutOfRangeAreRefusedNamingTheirEnvironmentVariable() {
    assertThatThrownBy(() -> new ImportSettings(0, 2, 5_000, 4_000_000, 300_000))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_CHUNK_PRODUCTS: ");
    assertThatThrownBy(() -> new ImportSettings(2000, 0, 5_000, 4_000_000, 300_000))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_PARALLEL_LOADS: ");
    assertThatThrownBy(() -> new ImportSettings(2000, 2, 0, 4_000_000, 300_000))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_MAX_PRODUCT_ROWS: ");
    assertThatThrownBy(() -> new ImportSettings(2000, 2, 5_000, 9_999, 300_000))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_MAX_PRODUCT_CHARS: ");
    assertThatThrownBy(() -> new ImportSettings(2000, 2, 5_000, 4_000_000, -1))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_KEYS_IN_MEMORY: ");
    assertThatThrownBy(() -> new ImportSettings(2000, 2, 5_000, 4_000_000, 80_000_001))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("STOREOPS_IMPORT_KEYS_IN_MEMORY: ");
  }
}
