package com.storeops.icons;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of icon generation; defaults and environment names in {@code application.yml}.
 *
 * @param maxPixels largest image (width × height, read from its header) that is decoded (STOREOPS_ICON_MAX_PIXELS)
 * @param downloadTimeout one image download's limit (STOREOPS_ICON_DOWNLOAD_TIMEOUT)
 * @param maxDownloadBytes one image's largest size (STOREOPS_ICON_MAX_DOWNLOAD_BYTES)
 * @param allowPrivateUrls fetch images from loopback and private addresses (STOREOPS_ICON_ALLOW_PRIVATE_URLS)
 */
@ConfigurationProperties("storeops.icons")
public record IconSettings(long maxPixels, Duration downloadTimeout, long maxDownloadBytes, boolean allowPrivateUrls) {}
