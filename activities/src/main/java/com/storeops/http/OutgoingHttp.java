package com.storeops.http;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.ApacheHttpClientContext;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.ApacheHttpClientObservationConvention;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.DefaultApacheHttpClientObservationConvention;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.ObservationExecChainHandler;
import io.micrometer.java11.instrument.binder.jdk.DefaultHttpClientObservationConvention;
import io.micrometer.java11.instrument.binder.jdk.HttpClientContext;
import io.micrometer.java11.instrument.binder.jdk.HttpClientObservationConvention;
import io.micrometer.java11.instrument.binder.jdk.MicrometerHttpClient;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpClient;
import java.util.Set;
import org.apache.hc.client5.http.classic.ExecChainHandler;

/**
 * Outgoing HTTP observed by Micrometer: every client storeops talks through — the JDK client to
 * Shopify's API and to its bulk export files, Apache's httpclient5 for image downloads — times each
 * exchange as one meter, {@value
 * #METRIC} (Prometheus: {@code http_client_requests_seconds}), with the same tags: {@code method},
 * {@code uri} (a template, never a full URL: image URLs would make a series each), {@code status},
 * {@code outcome} and {@code client.name}, the host. One name and one tag set, because Prometheus
 * refuses a second meter of a name with other tag keys.
 */
public final class OutgoingHttp {

  public static final String METRIC = "http.client.requests";
  private static final Set<String> TAGS = Set.of("method", "uri", "status", "outcome");

  private OutgoingHttp() {}

  /** {@code client}, timed per exchange; {@code uriTemplate} is the uri tag of every request it sends. */
  public static HttpClient observed(HttpClient client, MeterRegistry meters, ObservationRegistry observations, String uriTemplate) {
    return MicrometerHttpClient.instrumentationBuilder(client, meters)
        .observationRegistry(observations)
        .customObservationConvention(new JdkConvention())
        .uriMapper(request -> uriTemplate)
        .build();
  }

  /** For {@code HttpClientBuilder.addExecInterceptorLast}: every exchange, each redirect hop its own. */
  public static ExecChainHandler observing(ObservationRegistry observations) {
    return new ObservationExecChainHandler(observations, new ApacheConvention());
  }

  private static final class JdkConvention implements HttpClientObservationConvention {
    @Override
    public String getName() {
      return METRIC;
    }

    @Override
    public String getContextualName(HttpClientContext context) {
      return DefaultHttpClientObservationConvention.INSTANCE.getContextualName(context);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(HttpClientContext context) {
      String host = context.getCarrier() == null ? "UNKNOWN" : context.getCarrier().build().uri().getHost();
      return DefaultHttpClientObservationConvention.INSTANCE.getLowCardinalityKeyValues(context).and("client.name", host);
    }
  }

  private static final class ApacheConvention implements ApacheHttpClientObservationConvention {
    @Override
    public String getName() {
      return METRIC;
    }

    @Override
    public String getContextualName(ApacheHttpClientContext context) {
      return DefaultApacheHttpClientObservationConvention.INSTANCE.getContextualName(context);
    }

    /** Apache's own tags, narrowed to the JDK client's set; its target.host becomes client.name. */
    @Override
    public KeyValues getLowCardinalityKeyValues(ApacheHttpClientContext context) {
      KeyValues all = DefaultApacheHttpClientObservationConvention.INSTANCE.getLowCardinalityKeyValues(context);
      KeyValues kept = KeyValues.empty();
      String host = "UNKNOWN";
      for (KeyValue keyValue : all) {
        if (TAGS.contains(keyValue.getKey())) {
          kept = kept.and(keyValue);
        } else if (keyValue.getKey().equals("target.host")) {
          host = keyValue.getValue();
        }
      }
      return kept.and("client.name", host);
    }
  }
}
