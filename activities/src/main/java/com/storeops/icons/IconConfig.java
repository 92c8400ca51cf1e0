package com.storeops.icons;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The renderer and the downloader, with the limits from {@link IconSettings}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IconSettings.class)
class IconConfig {

  @Bean
  IconRenderer iconRenderer(IconSettings settings) {
    return new IconRenderer(settings.maxPixels());
  }

  @Bean
  ImageDownloads imageDownloads(IconSettings settings, ObjectProvider<ObservationRegistry> observations) {
    return new ImageDownloads(settings.downloadTimeout(), settings.maxDownloadBytes(), settings.allowPrivateUrls(),
        observations.getIfAvailable(() -> ObservationRegistry.NOOP));
  }
}
