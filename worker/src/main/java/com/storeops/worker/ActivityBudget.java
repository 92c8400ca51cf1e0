package com.storeops.worker;

import com.storeops.common.TaskQueue;
import com.storeops.config.InvalidSettingException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How many activities this worker process may run at once, and how they are spread over the four
 * queues — sized so that they can never ask for more connections than the pool has.
 *
 * <pre>
 *   pool     = DB_POOL_SIZE + DB_MAX_OVERFLOW                 (15)
 *   reserve  = STOREOPS_API_RESERVE if the api role runs here (3), else 0
 *   budget   = min(pool − reserve, MAX_CONCURRENT_OPERATIONS, WORKER_CONCURRENCY)   (12)
 *   Σ slots  ≤ budget, every queue ≥ 1, generation ≤ cores
 * </pre>
 *
 * Each activity holds at most one connection at a time, so Σ slots + reserve ≤ pool means an
 * activity never waits for a connection that another activity holds.
 */
public record ActivityBudget(int pool, int reserve, int budget, Map<TaskQueue, Integer> slots) {

  public ActivityBudget {
    slots = Map.copyOf(slots);
  }

  public static ActivityBudget plan(int pool, Roles roles, WorkerSettings settings, int cores) {
    int reserve = roles.api() ? settings.apiReserve() : 0;
    int available = pool - reserve;
    String poolSum = "DB_POOL_SIZE + DB_MAX_OVERFLOW = " + pool
        + (roles.api() ? ", minus STOREOPS_API_RESERVE " + reserve + " for the api role" : "")
        + " = " + available + " connections for activities";
    int budget = available;
    String limitedBy = "DB_POOL_SIZE + DB_MAX_OVERFLOW";
    for (Map.Entry<String, Integer> cap : caps(settings).entrySet()) {
      int capped = capBy(budget, available, cap.getValue(), cap.getKey(), poolSum);
      if (capped < budget) {
        budget = capped;
        limitedBy = cap.getKey();
      }
    }
    int queues = TaskQueue.values().length;
    if (budget < queues) {
      throw new InvalidSettingException(
          limitedBy,
          "the activity budget is " + budget + " but each of the " + queues
              + " queues needs at least one slot (" + poolSum + ")");
    }
    int generationCap = settings.generationMaxSlots() == null ? cores : settings.generationMaxSlots();
    Map<TaskQueue, Integer> slots = split(budget, settings, Math.max(1, generationCap));
    int total = slots.values().stream().mapToInt(Integer::intValue).sum();
    if (total > budget) {
      throw new InvalidSettingException(
          "STOREOPS_<QUEUE>_SLOTS",
          "activity slots " + describeSlots(slots) + " = " + total + " exceed the budget of " + budget
              + " (" + poolSum + ")");
    }
    return new ActivityBudget(pool, reserve, budget, slots);
  }

  private static Map<String, Integer> caps(WorkerSettings settings) {
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

  /**
   * Fixed slots where configured; the rest of the budget shared by weight (D'Hondt: each next slot
   * goes to the queue with the highest weight per slot held), one slot at least per queue and
   * generation capped at the cores, so the split is deterministic and never exceeds the budget.
   */
  static Map<TaskQueue, Integer> split(int budget, WorkerSettings settings, int generationCap) {
    Map<TaskQueue, Integer> slots = new EnumMap<>(TaskQueue.class);
    int left = budget;
    for (TaskQueue q : TaskQueue.values()) {
      Integer fixed = settings.queue(q).slots();
      slots.put(q, fixed == null ? 1 : fixed);
      left -= slots.get(q);
    }
    while (left > 0) {
      TaskQueue next = null;
      double best = 0;
      for (TaskQueue q : TaskQueue.values()) {
        boolean open = settings.queue(q).slots() == null && (q != TaskQueue.GENERATION || slots.get(q) < generationCap);
        double score = (double) settings.queue(q).weight() / (slots.get(q) + 1);
        if (open && score > best) {
          best = score;
          next = q;
        }
      }
      if (next == null) {
        break;
      }
      slots.merge(next, 1, Integer::sum);
      left--;
    }
    return slots;
  }

  public int totalSlots() {
    return slots.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The arithmetic, printed once at startup. */
  public String describe() {
    return "Activity budget: pool " + pool + " − API reserve " + reserve + " = " + (pool - reserve)
        + " connections; budget " + budget + "; slots " + describeSlots(slots) + " = " + totalSlots()
        + " ≤ " + budget + ", so activities never wait for a connection";
  }

  private static String describeSlots(Map<TaskQueue, Integer> slots) {
    return slots.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().queueName() + " " + e.getValue())
        .collect(Collectors.joining(" + "));
  }
}
