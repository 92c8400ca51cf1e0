package com.storeops.worker;

import com.storeops.common.TaskQueue;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Worker tuning, under the seed's names where the seed had one (mapped in application.yml).
 *
 * @param roles STOREOPS_ROLES
 * @param apiReserve STOREOPS_API_RESERVE: connections kept for API requests when the api role runs
 *     in the same process
 * @param maxConcurrentOperations MAX_CONCURRENT_OPERATIONS: caps the activity budget; unset means
 *     "what the pool can serve"
 * @param workerConcurrency WORKER_CONCURRENCY / CELERY_WORKER_CONCURRENCY: same cap, Celery's name
 * @param maxTasksPerChild CELERY_WORKER_MAX_TASKS_PER_CHILD: accepted and ignored (see README)
 * @param operationTimeout OPERATION_TIMEOUT, seconds: default start-to-close of one activity attempt
 * @param generationMaxSlots STOREOPS_GENERATION_MAX_SLOTS: cap of the CPU-bound queue, default the
 *     number of cores
 * @param workflowTaskSlots workflow tasks in flight per queue (they use no connection)
 * @param queues per-queue weight, optional fixed slot count and poller counts
 */
@ConfigurationProperties("storeops.worker")
public record WorkerSettings(
    String roles,
    int apiReserve,
    Integer maxConcurrentOperations,
    Integer workerConcurrency,
    Integer maxTasksPerChild,
    @DurationUnit(ChronoUnit.SECONDS) Duration operationTimeout,
    Integer generationMaxSlots,
    int workflowTaskSlots,
    Map<TaskQueue, Queue> queues) {

  public WorkerSettings {
    queues = queues == null ? Map.of() : Map.copyOf(queues);
  }

  public Queue queue(TaskQueue queue) {
    return queues.getOrDefault(queue, new Queue(queue.defaultWeight(), null, 1, 2));
  }

  /**
   * @param weight share of the budget when queues compete
   * @param slots fixed activity slots; unset means a weighted share of the budget
   * @param activityPollers concurrent long polls for activity tasks
   * @param workflowPollers concurrent long polls for workflow tasks (the SDK's minimum is 2)
   */
  public record Queue(int weight, Integer slots, int activityPollers, int workflowPollers) {}
}
