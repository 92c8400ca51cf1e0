package com.storeops.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs a piece of an operation's work (an activity body) inside the operation's scope: the seed's
 * {@code session_scope(operation_id=...)}, done so that it cannot leak.
 *
 * <ul>
 *   <li>logs {@code Operation <id> started - Active operations: N} and {@code ... completed} (or
 *       {@code failed}), where N counts the operations with work running in this process;
 *   <li>puts {@code operationId} in the MDC for every log line of that work;
 *   <li>labels every connection the work borrows with the operation id ({@code
 *       pg_stat_activity.application_name}), via {@link OperationContext}.
 * </ul>
 */
@Component
public class OperationTracker {

  public static final String MDC_KEY = "operationId";
  private static final Logger log = LoggerFactory.getLogger(OperationTracker.class);

  // Work items per operation: an operation is active while any of its activities runs here.
  private final Map<UUID, Integer> running = new ConcurrentHashMap<>();

  public OperationTracker(ObjectProvider<MeterRegistry> meterRegistry) {
    meterRegistry.ifAvailable(
        registry -> Gauge.builder("storeops.operations.active", running, Map::size)
            .description("Operations with an activity running in this process")
            .register(registry));
  }

  public <T> T track(UUID operationId, String step, Supplier<T> work) {
    UUID outer = OperationContext.current();
    enter(operationId, step);
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      leave(operationId, step, ok, outer);
    }
  }

  public void track(UUID operationId, String step, Runnable work) {
    track(operationId, step, () -> {
      work.run();
      return null;
    });
  }

  /** Operations with work running in this process now. */
  public int activeOperations() {
    return running.size();
  }

  private void enter(UUID operationId, String step) {
    running.merge(operationId, 1, Integer::sum);
    OperationContext.set(operationId);
    MDC.put(MDC_KEY, operationId.toString());
    log.info("Operation {} started - Active operations: {} ({})", operationId, running.size(), step);
  }

  private void leave(UUID operationId, String step, boolean ok, UUID outer) {
    running.computeIfPresent(operationId, (id, n) -> n == 1 ? null : n - 1);
    log.info(
        "Operation {} {} - Active operations: {} ({})",
        operationId, ok ? "completed" : "failed", running.size(), step);
    if (outer == null) {
      OperationContext.clear();
      MDC.remove(MDC_KEY);
    } else {
      OperationContext.set(outer);
      MDC.put(MDC_KEY, outer.toString());
    }
  }
}
