package com.storeops.shopify;

import com.storeops.sync.ShopifySyncSettings;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * One paced GraphQL client for the configured shop, shared by every activity of the process (so
 * that they share one cost bucket). Without SHOPIFY_SHOP there is no client, and the rest of
 * storeops runs as before.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ShopifySettings.class, ShopifySyncSettings.class})
public class ShopifyConfig {

  @Bean
  @ConditionalOnExpression("'${storeops.shopify.shop:}' != ''")
  ShopifyGraphql shopifyGraphql(ShopifySettings settings) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new ShopifyGraphql(settings, http, JsonMapper.builder().build());
  }
}
