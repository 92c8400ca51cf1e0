package com.storeops.sync;

import java.net.http.HttpClient;

/**
 * The client that downloads bulk export files. They come from Shopify's storage, not its API: no
 * cost bucket, a redirect to follow, one long stream per export. One per process, observed like
 * every outgoing exchange ({@link com.storeops.http.OutgoingHttp}).
 */
public record ShopifyBulkDownloads(HttpClient http) {

  /** The uri tag of every download: the file's real URL is signed and new each time. */
  public static final String URI_TEMPLATE = "/{bulk export file}";
}
