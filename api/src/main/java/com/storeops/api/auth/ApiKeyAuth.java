package com.storeops.api.auth;

import com.storeops.api.errors.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import com.storeops.api.ApiSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * With STOREOPS_API_KEY set, every request that changes something under {@code /api} must carry
 * {@code Authorization: Bearer <key>}; reads, health and the dashboard's page stay open, and
 * Shopify's webhooks prove themselves with their HMAC instead. Unset, the API is open (the
 * single-machine default, where the port is not exposed). A refusal is a 401 problem+json that never
 * repeats what was sent.
 */
@Configuration
@EnableConfigurationProperties(ApiSettings.class)
class ApiKeyAuth implements WebMvcConfigurer, HandlerInterceptor {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final byte[] key;

  ApiKeyAuth(ApiSettings settings) {
    this.key = settings.keyRequired() ? settings.key().getBytes(StandardCharsets.UTF_8) : null;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    if (key != null) {
      registry.addInterceptor(this).addPathPatterns("/api/**").excludePathPatterns("/api/webhooks/**");
    }
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (READS.contains(request.getMethod())) {
      return true;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"storeops\"");
      throw new UnauthorizedException("this storeops requires its API key: send Authorization: Bearer <STOREOPS_API_KEY>");
    }
    // Constant-time comparison: the time taken tells nothing about how much of the key was right.
    if (!MessageDigest.isEqual(key, header.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"storeops\", error=\"invalid_token\"");
      throw new UnauthorizedException("the API key is not this storeops' STOREOPS_API_KEY");
    }
    return true;
  }
}
