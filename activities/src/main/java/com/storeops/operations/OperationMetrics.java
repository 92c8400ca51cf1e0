package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Operations by type and status ({@code storeops_operations}) and the items they processed
 * ({@code storeops_operation_items_total}, whose rate is e.g. import rows per second), read from the
 * operations table. Every process reports the same shop-wide figures, so dashboards take the max
 * over instances. One query serves a whole scrape: the tally is reused for a few seconds.
 */
@Component
class OperationMetrics implements MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(OperationMetrics.class);
  private static final Duration FRESH = Duration.ofSeconds(5);

  private final Operations operations;
  private volatile List<Operations.Tally> tally = List.of();
  private volatile long readAtNanos;

  OperationMetrics(Operations operations) {
    this.operations = operations;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (OperationType type : OperationType.values()) {
      for (OperationStatus status : OperationStatus.values()) {
        Gauge.builder("storeops.operations", this, m -> m.sum(type, status, false))
            .description("Operations in this status (shop-wide, from the operations table)")
            .tag("type", type.slug())
            .tag("status", status.name())
            .register(registry);
      }
      FunctionCounter.builder("storeops.operation.items", this, m -> m.sum(type, null, true))
          .description("Items processed by operations of this type (shop-wide): CSV rows, products, images")
          .tag("type", type.slug())
          .register(registry);
    }
  }

  private double sum(OperationType type, OperationStatus status, boolean items) {
    return current().stream()
        .filter(t -> t.type() == type && (status == null || t.status() == status))
        .mapToLong(t -> items ? t.items() : t.operations())
        .sum();
  }

  /** A failed read keeps the last figures: a scrape during a database outage shows no false drop. */
  private List<Operations.Tally> current() {
    long now = System.nanoTime();
    if (now - readAtNanos > FRESH.toNanos()) {
      try {
        tally = operations.tally();
      } catch (RuntimeException e) {
        log.debug("Operations not tallied: {}", e.getMessage());
      }
      readAtNanos = now;
    }
    return tally;
  }
}
