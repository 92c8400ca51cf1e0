package com.storeops.worker;

import com.storeops.common.TaskQueue;
import com.storeops.config.InvalidSettingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many activities this worker process may run at once, sized so that they can never ask for
 * more connections than the pool has, and how the four queues share them.
 *
 * <pre>
 *   pool     = DB_POOL_SIZE + DB_MAX_OVERFLOW                 (15)
 *   reserve  = STOREOPS_API_RESERVE if the api role runs here (3), else 1 for health checks
 *   budget   = min(pool − reserve, MAX_CONCURRENT_OPERATIONS, WORKER_CONCURRENCY)   (12)
 * </pre>
 *
 * Each activity holds at most one connection at a time, so budget + reserve ≤ pool means an
 * activity never waits for a connection another activity holds. The budget is shared by weight
 * ({@link SharedActivityBudget}); each queue may be capped (generation at the cores).
 */
public record ActivityBudget(
    int pool, int reserve, int budget, Map<TaskQueue, Integer> weights, Map<TaskQueue, Integer> caps, int pollers,
    Duration idleDeferral) {

  public ActivityBudget {
    weights = Map.copyOf(weights);
    caps = Map.copyOf(caps);
  }

  /** Connections a worker-only process keeps back for its health check and metrics. */
  static final int HEALTH_RESERVE = 1;

  public static ActivityBudget plan(int pool, Roles roles, WorkerSettings settings, int cores) {
    Map<TaskQueue, Integer> weights = weights(settings);
    if (!roles.worker()) {
      // No activities run here: every connection serves the API, and no budget needs checking.
      return new ActivityBudget(pool, pool, 0, weights, zeroCaps(), 0, Duration.ZERO);
    }
    if (settings.apiReserve() < 0 || settings.apiReserve() >= pool) {
      throw new InvalidSettingException(
          "STOREOPS_API_RESERVE", "must be between 0 and " + (pool - 1) + " (the pool has " + pool + "), was " + settings.apiReserve());
    }
    int reserve = roles.api() ? settings.apiReserve() : HEALTH_RESERVE;
    int available = pool - reserve;
    String poolSum = "DB_POOL_SIZE + DB_MAX_OVERFLOW = " + pool
        + (roles.api() ? ", minus STOREOPS_API_RESERVE " + reserve + " for the api role"
            : ", minus " + reserve + " for health checks")
        + " = " + available + " connections for activities";
    int budget = available;
    String limitedBy = "DB_POOL_SIZE + DB_MAX_OVERFLOW";
    for (Map.Entry<String, Integer> cap : concurrencyCaps(settings).entrySet()) {
      int capped = capBy(budget, available, cap.getValue(), cap.getKey(), poolSum);
      if (capped < budget) {
        budget = capped;
        limitedBy = cap.getKey();
      }
    }
    int queues = TaskQueue.values().length;
    if (budget < queues) {
      // Every queue's poller holds a permit while it waits for work: fewer permits than queues
      // would leave a queue unable even to poll.
      throw new InvalidSettingException(
          limitedBy,
          "the activity budget is " + budget + " but each of the " + queues
              + " queues needs at least one permit to poll (" + poolSum + ")");
    }
    Map<TaskQueue, Integer> caps = new EnumMap<>(TaskQueue.class);
    for (TaskQueue q : TaskQueue.values()) {
      Integer cap = settings.queue(q).maxSlots();
      if (q == TaskQueue.GENERATION && cap == null) {
        cap = cores; // CPU-bound: more renders than cores only add context switches
      }
      if (cap != null && cap < 1) {
        throw new InvalidSettingException("STOREOPS_" + q.name() + "_MAX_SLOTS", "must be at least 1, was " + cap);
      }
      caps.put(q, cap == null ? budget : Math.min(cap, budget));
    }
    int pollers = Arrays.stream(TaskQueue.values()).mapToInt(q -> settings.queue(q).activityPollers()).sum();
    return new ActivityBudget(pool, reserve, budget, weights, caps, pollers, settings.idleQueueDeferral());
  }

  private static Map<TaskQueue, Integer> weights(WorkerSettings settings) {
    Map<TaskQueue, Integer> weights = new EnumMap<>(TaskQueue.class);
    for (TaskQueue q : TaskQueue.values()) {
      int weight = settings.queue(q).weight();
      if (weight < 1) {
        throw new InvalidSettingException(
            "STOREOPS_" + q.name() + "_WEIGHT", "must be at least 1 (0 would starve the queue), was " + weight);
      }
      weights.put(q, weight);
    }
    return weights;
  }

  private static Map<TaskQueue, Integer> zeroCaps() {
    Map<TaskQueue, Integer> caps = new EnumMap<>(TaskQueue.class);
    for (TaskQueue q : TaskQueue.values()) {
      caps.put(q, 0);
    }
    return caps;
  }

  private static Map<String, Integer> concurrencyCaps(WorkerSettings settings) {
    Map<String, Integer> caps = new LinkedHashMap<>();
    caps.put("MAX_CONCURRENT_OPERATIONS", settings.maxConcurrentOperations());
    caps.put("WORKER_CONCURRENCY", settings.workerConcurrency());
    return caps;
  }

  private static int capBy(int budget, int available, Integer cap, String setting, String poolSum) {
    if (cap == null) {
      return budget;
    }
    if (cap < 1) {
      throw new InvalidSettingException(setting, "must be at least 1, was " + cap);
    }
    if (cap > available) {
      throw new InvalidSettingException(
          setting,
          cap + " concurrent activities would need " + cap + " connections, but " + poolSum
              + "; lower " + setting + " or raise DB_MAX_OVERFLOW");
    }
    return Math.min(budget, cap);
  }

  public SharedActivityBudget newSharedBudget() {
    return new SharedActivityBudget(budget, weights, caps, idleDeferral);
  }

  /** The arithmetic, printed once at startup. */
  public String describe() {
    if (budget == 0) {
      return "No worker role here: all " + pool + " connections serve the API.";
    }
    return "Activity budget: pool " + pool + " − reserve " + reserve + " = " + (pool - reserve)
        + " connections; " + budget + " activity permits shared by weight "
        + join(weights, " : ") + " (caps " + join(caps, ", ") + "); idle pollers hold up to "
        + pollers + " of them. Activities never wait for a connection.";
  }

  private static String join(Map<TaskQueue, Integer> values, String separator) {
    return values.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().queueName() + " " + e.getValue())
        .collect(Collectors.joining(separator));
  }
}
