package com.storeops.icons;

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
  ImageDownloads imageDownloads(IconSettings settings) {
    return new ImageDownloads(settings.downloadTimeout(), settings.maxDownloadBytes(), settings.allowPrivateUrls());
  }
}
