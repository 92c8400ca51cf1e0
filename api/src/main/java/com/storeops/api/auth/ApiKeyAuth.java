package com.storeops.api.auth;

import com.storeops.api.ApiSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers {@link ApiKeyFilter} as a servlet filter ahead of every other: the key is checked, and
 * a webhook's size capped, before the DispatcherServlet parses a multipart body or a controller
 * reads one.
 */
@Configuration
@EnableConfigurationProperties(ApiSettings.class)
class ApiKeyAuth {

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiSettings settings) {
    FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(settings));
    registration.addUrlPatterns("/api/*", "/actuator/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
