package com.storeops.icons;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches a product image the way a server that takes URLs from data must: only http(s), never an
 * address on the loopback, private, link-local or unique-local ranges unless configured (the
 * server-side request forgery rule), redirects followed by hand so that each hop is checked again,
 * a timeout, and a byte limit enforced while reading.
 */
public final class ImageDownloads {

  private static final int MAX_REDIRECTS = 3;

  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;
  private final boolean allowPrivate;

  public ImageDownloads(Duration timeout, long maxBytes, boolean allowPrivate) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.allowPrivate = allowPrivate;
  }

  public byte[] fetch(String url) throws IconInputException {
    URI uri = checked(url);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<InputStream> response = send(uri);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
        close(response);
        uri = checked(uri.resolve(response.headers().firstValue("Location").get()).toString());
        continue;
      }
      if (status != 200) {
        close(response);
        throw new IconInputException("image URL answered HTTP " + status);
      }
      return read(response);
    }
    throw new IconInputException("more than " + MAX_REDIRECTS + " redirects");
  }

  /** The URL, if its scheme is http(s) and every address its host resolves to is allowed. */
  URI checked(String url) throws IconInputException {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IconInputException("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IconInputException("only http and https image URLs are fetched, not '" + scheme + ":'");
    }
    if (uri.getHost() == null) {
      throw new IconInputException("image URL has no host: " + url);
    }
    if (!allowPrivate) {
      try {
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
          if (isPrivate(address)) {
            throw new IconInputException("image URL host " + uri.getHost() + " is a loopback or private address ("
                + address.getHostAddress() + "): refused (set STOREOPS_ICON_ALLOW_PRIVATE_URLS=true to allow)");
          }
        }
      } catch (UnknownHostException e) {
        throw new IconInputException("image URL host " + uri.getHost() + " does not resolve");
      }
    }
    return uri;
  }

  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
    }
    return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
  }

  private HttpResponse<InputStream> send(URI uri) throws IconInputException {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new IconInputException("image download timed out after " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new IconInputException("image download failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IconInputException("interrupted");
    }
  }

  private byte[] read(HttpResponse<InputStream> response) throws IconInputException {
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxBytes) {
      close(response);
      throw new IconInputException("image is " + declared + " bytes, more than the " + maxBytes + " allowed");
    }
    try (InputStream in = response.body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        if (out.size() > maxBytes) {
          throw new IconInputException("image is more than the " + maxBytes + " bytes allowed");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IconInputException("image download failed: " + e.getMessage());
    }
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // nothing was to be read
    }
  }
}
