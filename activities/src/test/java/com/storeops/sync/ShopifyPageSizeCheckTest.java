package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** A page size Shopify would refuse on every page stops storeops at startup, naming the setting and the arithmetic. */
class ShopifyPageSizeCheckTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ShopifySyncSettings.class)
  @Import(ShopifyPageSizeCheck.class)
  static class Startup {}

  private final ApplicationContextRunner startup = new ApplicationContextRunner().withUserConfiguration(Startup.class);

  @Test
  void aPageAboveShopifysSingleQueryLimitFailsStartup() {
    startup.withPropertyValues("storeops.shopify.sync-page-size=12").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("SHOPIFY_SYNC_PAGE_SIZE=12")
          .hasMessageContaining("asks 1034 cost points (2 + 12 × 86)")
          .hasMessageContaining("above 1000 points; 11 is the most");
    });
  }

  @Test
  void theLargestPageThatFitsAndTheDefaultStart() {
    startup.withPropertyValues("storeops.shopify.sync-page-size=11").run(context -> assertThat(context).hasNotFailed());
    startup.run(context -> assertThat(context).hasNotFailed());
  }
}
