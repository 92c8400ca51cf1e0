package com.storeops.shopify;

import com.storeops.http.OutgoingHttp;
import com.storeops.sync.ShopifyBulkDownloads;
import com.storeops.sync.ShopifySyncSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
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
  ShopifyGraphql shopifyGraphql(ShopifySettings settings, ObjectProvider<MeterRegistry> meters,
      ObjectProvider<ObservationRegistry> observations) {
    HttpClient http = OutgoingHttp.observed(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        meters.getIfAvailable(SimpleMeterRegistry::new), observations.getIfAvailable(() -> ObservationRegistry.NOOP),
        "/admin/api/{version}/graphql.json");
    return new ShopifyGraphql(settings, http, JsonMapper.builder().build());
  }

  @Bean
  ShopifyBulkDownloads shopifyBulkDownloads(ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    return new ShopifyBulkDownloads(OutgoingHttp.observed(http, meters.getIfAvailable(SimpleMeterRegistry::new),
        observations.getIfAvailable(() -> ObservationRegistry.NOOP), ShopifyBulkDownloads.URI_TEMPLATE));
  }
}
