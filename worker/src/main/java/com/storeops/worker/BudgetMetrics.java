package com.storeops.worker;

import com.storeops.common.TaskQueue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/** The shared activity budget as Micrometer meters, per queue: held, running, waiting, grants. */
record BudgetMetrics(SharedActivityBudget budget) implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("storeops.budget.permits", budget, SharedActivityBudget::size)
        .description("Activity permits of this worker process (one connection each)")
        .register(registry);
    for (TaskQueue q : TaskQueue.values()) {
      gauge(registry, "storeops.budget.held", q, "Permits held (polling or running)", SharedActivityBudget.QueueUse::held);
      gauge(registry, "storeops.budget.running", q, "Activities running", SharedActivityBudget.QueueUse::running);
      gauge(registry, "storeops.budget.waiting", q, "Pollers waiting for a permit", SharedActivityBudget.QueueUse::waiting);
      FunctionCounter.builder("storeops.budget.grants", budget, b -> use(b, q).grants())
          .description("Permits granted")
          .tag("queue", q.queueName())
          .register(registry);
    }
  }

  private void gauge(MeterRegistry registry, String name, TaskQueue q, String description,
      ToDoubleFunction<SharedActivityBudget.QueueUse> value) {
    Gauge.builder(name, budget, b -> value.applyAsDouble(use(b, q)))
        .description(description)
        .tag("queue", q.queueName())
        .register(registry);
  }

  private static SharedActivityBudget.QueueUse use(SharedActivityBudget budget, TaskQueue q) {
    return budget.use().get(q.ordinal());
  }
}
