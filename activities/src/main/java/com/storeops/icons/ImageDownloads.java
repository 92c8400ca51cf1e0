package com.storeops.icons;

import com.storeops.http.OutgoingHttp;
import io.micrometer.observation.ObservationRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches a product image the way a server that takes URLs from data must: only http(s), never an
 * address on a loopback, private, link-local, reserved or translated range unless configured (the
 * server-side request forgery rule), redirects followed by hand so that each hop is checked again,
 * a timeout, and a byte limit enforced while reading.
 *
 * <p>The check lives in the HTTP client's DNS resolver: a name is resolved once per connection,
 * every address it answers is checked, and the client connects to those very addresses (TLS still
 * verifies the certificate and sends SNI for the name in the URL). Checking with one lookup and
 * connecting after another would let a name that answers a public address, then a private one
 * (DNS rebinding), reach the private one.
 */
public final class ImageDownloads {

  private static final int MAX_REDIRECTS = 3;

  /** A name's addresses; the system's resolver in production, a scripted one in tests. */
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final CloseableHttpClient http;
  private final Duration timeout;
  private final long maxBytes;

  public ImageDownloads(Duration timeout, long maxBytes, boolean allowPrivate) {
    this(timeout, maxBytes, allowPrivate, ObservationRegistry.NOOP);
  }

  /** Each exchange observed as {@link OutgoingHttp#METRIC}. */
  public ImageDownloads(Duration timeout, long maxBytes, boolean allowPrivate, ObservationRegistry observations) {
    this(timeout, maxBytes, allowPrivate ? a -> false : ImageDownloads::isPrivate, InetAddress::getAllByName, observations);
  }

  ImageDownloads(Duration timeout, long maxBytes, Predicate<InetAddress> refused, Resolver resolver) {
    this(timeout, maxBytes, refused, resolver, ObservationRegistry.NOOP);
  }

  private ImageDownloads(Duration timeout, long maxBytes, Predicate<InetAddress> refused, Resolver resolver,
      ObservationRegistry observations) {
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    Timeout deadline = Timeout.of(timeout);
    this.http = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new CheckingResolver(resolver, refused))
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(deadline).setSocketTimeout(deadline).build())
            .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(deadline).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(deadline).setConnectionRequestTimeout(deadline).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .addExecInterceptorLast("observation", OutgoingHttp.observing(observations))
        .build();
  }

  public byte[] fetch(String url) throws IconInputException {
    URI uri = checked(url);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpGet request = new HttpGet(uri);
      // The timeouts above bound the connect and each read; a server that sends a byte now and then
      // would pass both and hold this thread, and its activity's budget permit, for as long as it
      // likes. The whole exchange gets twice the timeout, as a Shopify request does, then is aborted.
      CompletableFuture<Void> deadline = new CompletableFuture<Void>().orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      deadline.whenComplete((done, late) -> {
        if (late != null) {
          request.cancel();
        }
      });
      try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
        int status = response.getCode();
        Header location = response.getFirstHeader("Location");
        if (status >= 300 && status < 400 && location != null) {
          uri = checked(uri.resolve(location.getValue()).toString());
          continue;
        }
        if (status != 200) {
          throw new IconInputException("image URL answered HTTP " + status);
        }
        return read(response.getEntity());
      } catch (SocketTimeoutException e) {
        throw new IconInputException("image download timed out after " + timeout.toSeconds() + " s");
      } catch (IOException e) {
        if (deadline.isCompletedExceptionally()) {
          throw new IconInputException("image download not done within " + timeout.multipliedBy(2).toSeconds() + " s");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof RefusedAddress refusal) {
            throw new IconInputException(refusal.getMessage());
          }
        }
        if (e instanceof UnknownHostException) {
          throw new IconInputException("image URL host " + uri.getHost() + " does not resolve");
        }
        throw new IconInputException("image download failed: " + e.getMessage());
      } finally {
        deadline.complete(null);
      }
    }
    throw new IconInputException("more than " + MAX_REDIRECTS + " redirects");
  }

  /** The URL, if its scheme is http(s) and it names a host; its addresses are checked on connect. */
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
    return uri;
  }

  /**
   * Whether an address is one a stranger's URL must not reach: loopback, private, link-local,
   * unspecified, multicast, carrier-grade NAT, this-network (0/8), benchmarking (198.18/15),
   * reserved and broadcast (240/4), IETF protocol assignments (192.0.0/24); in IPv6 unique-local,
   * NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16), which route to IPv4 addresses of
   * their own choosing, and IPv4-compatible (::a.b.c.d) addresses. IPv4-mapped addresses
   * (::ffff:a.b.c.d) reach Java as the IPv4 address they map.
   */
  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      return (b[0] & 0xfe) == 0xfc // fc00::/7, unique local
          || startsWith(b, 0x00, 0x64, 0xff, 0x9b) && (allZero(b, 4, 12) || b[4] == 0 && b[5] == 1) // NAT64
          || startsWith(b, 0x20, 0x02) // 6to4
          || allZero(b, 0, 12) // IPv4-compatible (::a.b.c.d); :: and ::1 are caught above
          || allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff; // IPv4-mapped, should Java keep one
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 // 0.0.0.0/8, this network
        || first == 100 && (second & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
        || first == 198 && (second & 0xfe) == 18 // 198.18.0.0/15, benchmarking
        || first == 192 && second == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24, IETF protocol assignments
        || first >= 240; // 240.0.0.0/4 reserved, and broadcast
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private byte[] read(HttpEntity entity) throws IconInputException, IOException {
    if (entity == null) {
      return new byte[0];
    }
    if (entity.getContentLength() > maxBytes) {
      throw new IconInputException("image is " + entity.getContentLength() + " bytes, more than the " + maxBytes + " allowed");
    }
    try (InputStream in = entity.getContent()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        if (out.size() > maxBytes) {
          throw new IconInputException("image is more than the " + maxBytes + " bytes allowed");
        }
      }
      return out.toByteArray();
    }
  }

  /** The one lookup of a connection: every address answered is checked, and only those are used. */
  private record CheckingResolver(Resolver resolver, Predicate<InetAddress> refused) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      InetAddress[] addresses = resolver.resolve(host);
      for (InetAddress address : addresses) {
        if (refused.test(address)) {
          throw new RefusedAddress("image URL host " + host + " is a loopback or private address ("
              + address.getHostAddress() + "): refused (set STOREOPS_ICON_ALLOW_PRIVATE_URLS=true to allow)");
        }
      }
      return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host; // never a second lookup: the name in the URL is the name TLS verifies
    }
  }

  /** A name that resolved to a refused address; an UnknownHostException so the client stops there. */
  private static final class RefusedAddress extends UnknownHostException {
    RefusedAddress(String message) {
      super(message);
    }
  }
}
