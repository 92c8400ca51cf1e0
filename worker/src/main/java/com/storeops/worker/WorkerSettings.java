package com.storeops.worker;

import com.storeops.common.TaskQueue;
import com.storeops.config.InvalidSettingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Worker tuning, mapped from the environment in application.yml (README's configuration table).
 *
 * @param roles STOREOPS_ROLES
 * @param apiReserve STOREOPS_API_RESERVE: connections kept for API requests when the api role runs
 *     in the same process
 * @param maxConcurrentOperations MAX_CONCURRENT_OPERATIONS: caps the activity budget; unset means
 *     "what the pool can serve"
 * @param workerConcurrency WORKER_CONCURRENCY (or, when unset, CELERY_WORKER_CONCURRENCY): same cap, Celery's name
 * @param maxTasksPerChild CELERY_WORKER_MAX_TASKS_PER_CHILD: accepted and ignored (see README)
 * @param operationTimeout OPERATION_TIMEOUT, seconds: default start-to-close of one activity attempt
 * @param longPollTimeout STOREOPS_LONG_POLL_TIMEOUT, seconds: how long a poll may wait for a task
 *     (Temporal's default is 70); an idle queue's poller holds a permit that long
 * @param idleQueueDeferral STOREOPS_IDLE_QUEUE_DEFERRAL, seconds: how long an idle non-sync queue
 *     waits behind queues with work before polling again
 * @param workflowTaskSlots workflow tasks in flight per queue (they use no connection)
 * @param queues per-queue weight, optional cap and poller counts
 */
@ConfigurationProperties("storeops.worker")
public record WorkerSettings(
    String roles,
    Integer apiReserve,
    Integer maxConcurrentOperations,
    Integer workerConcurrency,
    Integer maxTasksPerChild,
    @DurationUnit(ChronoUnit.SECONDS) Duration operationTimeout,
    @DurationUnit(ChronoUnit.SECONDS) Duration longPollTimeout,
    @DurationUnit(ChronoUnit.SECONDS) Duration idleQueueDeferral,
    int workflowTaskSlots,
    Map<TaskQueue, Queue> queues) {

  public WorkerSettings {
    InvalidSettingException.requireSet("STOREOPS_API_RESERVE", apiReserve);
    if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
      throw new InvalidSettingException("OPERATION_TIMEOUT", "must be a number of seconds above 0");
    }
    if (longPollTimeout == null || longPollTimeout.compareTo(MIN_LONG_POLL) < 0) {
      // Temporal's frontend refuses polls whose deadline is under 2 s and answers 1 s early.
      throw new InvalidSettingException("STOREOPS_LONG_POLL_TIMEOUT", "must be at least 3 seconds");
    }
    if (idleQueueDeferral == null || idleQueueDeferral.isNegative()) {
      throw new InvalidSettingException("STOREOPS_IDLE_QUEUE_DEFERRAL", "must be 0 or more seconds");
    }
    queues = queues == null ? Map.of() : Map.copyOf(queues);
  }

  private static final Duration MIN_LONG_POLL = Duration.ofSeconds(3);

  public Queue queue(TaskQueue queue) {
    return queues.getOrDefault(queue, new Queue(queue.defaultWeight(), null, 1, 2));
  }

  /**
   * @param weight share of the budget when queues compete (STOREOPS_&lt;QUEUE&gt;_WEIGHT)
   * @param maxSlots most permits this queue may hold at once (STOREOPS_&lt;QUEUE&gt;_MAX_SLOTS); unset
   *     means the whole budget, except generation (cores)
   * @param activityPollers concurrent long polls for activity tasks
   * @param workflowPollers concurrent long polls for workflow tasks (the SDK's minimum is 2)
   */
  public record Queue(int weight, Integer maxSlots, int activityPollers, int workflowPollers) {}
}
