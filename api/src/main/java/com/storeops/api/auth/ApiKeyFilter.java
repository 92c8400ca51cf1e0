package com.storeops.api.auth;

import com.storeops.api.ApiSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what, decided from the request line and headers alone — before any body is read. An
 * MVC interceptor runs after the DispatcherServlet has spooled a multipart upload (up to
 * STOREOPS_MAX_UPLOAD) to disk; this filter runs before it, so a stranger's upload is refused after
 * its headers and nothing of it is stored.
 *
 * <p>With STOREOPS_API_KEY set, everything under {@code /api} and {@code /actuator} needs
 * {@code Authorization: Bearer <key>} except what holds no shop data: {@code GET /api/health/**}
 * (pool counts), {@code GET /actuator/health/**} (UP/DOWN for probes) and the rendered icons
 * {@code GET /api/products/{id}/icons/**} (the shop's public images). Operations carry their
 * parameters (file names, filters, the shop), the errors CSV carries cell values of the catalogue,
 * and metrics describe the shop's load, so those need the key. Shopify's webhooks prove themselves
 * with their HMAC instead; their body is capped at STOREOPS_WEBHOOK_MAX_BYTES (413 beyond) before
 * the controller reads it. A refusal is a problem+json that never repeats what was sent.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final byte[] key;
  private final long webhookMaxBytes;

  ApiKeyFilter(ApiSettings settings) {
    this.key = settings.keyRequired() ? settings.key().getBytes(StandardCharsets.UTF_8) : null;
    this.webhookMaxBytes = settings.webhookMaxBytes().toBytes();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (path.startsWith("/api/webhooks/")) {
      HttpServletRequest capped = capped(request, response);
      if (capped != null) {
        chain.doFilter(capped, response);
      }
      return;
    }
    if (key == null || open(request.getMethod(), path)) {
      chain.doFilter(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"storeops\"");
      refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
          "this storeops requires its API key: send Authorization: Bearer <STOREOPS_API_KEY>");
      return;
    }
    // Constant-time comparison: the time taken tells nothing about how much of the key was right.
    if (!MessageDigest.isEqual(key, header.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"storeops\", error=\"invalid_token\"");
      refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
          "the API key is not this storeops' STOREOPS_API_KEY");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean open(String method, String path) {
    if (method.equals("OPTIONS")) {
      return true;
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    return read && (under(path, "/api/health") || under(path, "/actuator/health")
        || path.startsWith("/api/products/") && path.contains("/icons/"));
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /**
   * The webhook's body, read here and at most to the cap: a declared length beyond it is refused
   * unread, an undeclared (chunked) one as soon as it passes it. Null when refused.
   */
  private HttpServletRequest capped(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String tooLarge = "a webhook body may be at most " + webhookMaxBytes + " bytes (STOREOPS_WEBHOOK_MAX_BYTES)";
    if (request.getContentLengthLong() > webhookMaxBytes) {
      refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", tooLarge);
      return null;
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, webhookMaxBytes + 1));
    }
    if (body.length > webhookMaxBytes) {
      refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Content Too Large", tooLarge);
      return null;
    }
    return new BufferedBody(request, body);
  }

  private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.writeValueAsString(problem));
  }

  /** A request whose body was read (within the cap) and is served again from memory. */
  private static final class BufferedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already: synchronous reads only");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
