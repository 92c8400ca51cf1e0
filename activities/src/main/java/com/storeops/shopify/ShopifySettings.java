package com.storeops.shopify;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How to reach the shop's Admin GraphQL API. The access token is read from the environment by the
 * worker only; workflows and activity inputs name the shop, never the token, so it appears in no
 * history, and {@link #toString()} leaves it out of every log.
 *
 * @param shop the shop's domain, e.g. {@code example.myshopify.com} (SHOPIFY_SHOP)
 * @param accessToken the Admin API access token (SHOPIFY_ACCESS_TOKEN)
 * @param apiSecret the app's API secret key, which signs webhooks (SHOPIFY_API_SECRET)
 * @param apiVersion the Admin API version (SHOPIFY_API_VERSION)
 * @param baseUrl overrides {@code https://{shop}} — for a test double or a proxy (SHOPIFY_BASE_URL)
 * @param requestTimeout one request's limit before it is retried (SHOPIFY_REQUEST_TIMEOUT)
 * @param maxAttempts tries per request for 429, 5xx and timeouts before the activity's own retry takes over
 */
@ConfigurationProperties("storeops.shopify")
public record ShopifySettings(
    String shop, String accessToken, String apiSecret, String apiVersion, URI baseUrl, Duration requestTimeout, Integer maxAttempts) {

  public ShopifySettings {
    apiVersion = apiVersion == null || apiVersion.isBlank() ? "2026-10" : apiVersion;
    baseUrl = baseUrl == null || baseUrl.toString().isBlank() ? null : baseUrl;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
    maxAttempts = maxAttempts == null || maxAttempts < 1 ? 6 : maxAttempts;
  }

  /** {@code {base}/admin/api/{version}/graphql.json} */
  public URI graphqlEndpoint() {
    URI base = baseUrl != null ? baseUrl : URI.create("https://" + shop);
    String root = base.toString().endsWith("/") ? base.toString() : base + "/";
    return URI.create(root + "admin/api/" + apiVersion + "/graphql.json");
  }

  @Override
  public String toString() {
    return "ShopifySettings[shop=" + shop + ", apiVersion=" + apiVersion + ", baseUrl=" + baseUrl
        + ", accessToken=" + secret(accessToken) + ", apiSecret=" + secret(apiSecret) + "]";
  }

  private static String secret(String value) {
    return value == null || value.isEmpty() ? "(none)" : "(set)";
  }
}
