package com.storeops.worker;

import com.storeops.common.ActivityDefaults;
import com.storeops.common.TaskQueue;
import com.storeops.db.ConnectionReserve;
import com.storeops.db.DatabaseSettings;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.spring.boot.WorkflowImplementationOptionsCustomizer;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Everything about how much work a worker process takes on, in one place: the activity budget
 * checked against the pool, per-queue slots and pollers, and the default activity timeout. The
 * starter builds the four workers from {@code spring.temporal.workers}; these customizers size them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
public class WorkerTuningConfig {

  private static final Logger log = LoggerFactory.getLogger(WorkerTuningConfig.class);

  @Bean
  Roles roles(WorkerSettings settings) {
    return Roles.parse(settings.roles());
  }

  @Bean
  ActivityBudget activityBudget(DatabaseSettings database, WorkerSettings settings, Roles roles) {
    ActivityBudget budget =
        ActivityBudget.plan(database.maximumPoolSize(), roles, settings, Runtime.getRuntime().availableProcessors());
    log.info("Roles: {}. {}", roles, budget.describe());
    if (settings.maxTasksPerChild() != null) {
      log.info(
          "CELERY_WORKER_MAX_TASKS_PER_CHILD={} is ignored: activities run on pooled threads of one "
              + "long-lived process and keep no per-task state, so there is no child process to recycle.",
          settings.maxTasksPerChild());
    }
    return budget;
  }

  /**
   * The connections left to borrowers outside activities; {@link com.storeops.db.ReservedConnections}
   * holds them to it, so the budget's arithmetic holds by construction, not by good behaviour.
   */
  @Bean
  ConnectionReserve connectionReserve(ActivityBudget budget) {
    return new ConnectionReserve(budget.reserve());
  }

  @Bean
  ActivityScopeInterceptor activityScope() {
    return new ActivityScopeInterceptor();
  }

  @Bean
  SharedActivityBudget sharedActivityBudget(ActivityBudget budget) {
    return budget.newSharedBudget();
  }

  /**
   * Short activity polls let an idle queue's poller give its permit back every few seconds;
   * workflow task polls keep the SDK's long poll.
   */
  @Bean
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> longPollTimeout(WorkerSettings settings) {
    return builder -> builder.addGrpcClientInterceptor(new ActivityPollDeadline(settings.longPollTimeout()));
  }

  @Bean
  BudgetMetrics budgetMetrics(SharedActivityBudget budget) {
    return new BudgetMetrics(budget);
  }

  @Bean
  WorkerOptionsCustomizer queueTuning(WorkerSettings settings, SharedActivityBudget budget) {
    return (builder, workerName, taskQueue) ->
        QueueTuning.apply(builder, TaskQueue.ofQueueName(taskQueue), settings, budget);
  }

  /** OPERATION_TIMEOUT per attempt of every activity whose stub sets no timeout of its own. */
  @Bean
  WorkflowImplementationOptionsCustomizer defaultActivityOptions(WorkerSettings settings) {
    return (builder, worker, implementation, workflowMethod) ->
        builder.setDefaultActivityOptions(ActivityDefaults.activityOptions(settings.operationTimeout()));
  }

  /**
   * Polls only in the worker role: starts the workers with the context, suspends polling when the
   * context stops (Spring may restart it, e.g. a paused test context) and resumes on restart.
   */
  @Bean
  SmartLifecycle workerPolling(ObjectProvider<WorkerFactory> factory, Roles roles) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        if (roles.worker()) {
          WorkerFactory workers = factory.getObject();
          if (workers.isStarted()) {
            workers.resumePolling();
          } else {
            workers.start();
            log.info("Workers polling task queues sync, generation, batch, import");
          }
        }
        running = true;
      }

      @Override
      public void stop() {
        WorkerFactory workers = factory.getObject();
        if (roles.worker() && !workers.isShutdown()) {
          workers.suspendPolling();
        }
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  /** On shutdown, stop taking tasks and give running activities time to finish before exiting. */
  @Bean
  ApplicationListener<ContextClosedEvent> workerShutdown(ObjectProvider<WorkerFactory> factory, Roles roles) {
    return event -> {
      if (roles.worker()) {
        WorkerFactory workers = factory.getObject();
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
      }
    };
  }
}
