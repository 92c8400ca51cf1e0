package com.storeops.lab;

import com.storeops.common.ActivityDefaults;
import com.storeops.common.TaskQueue;
import com.storeops.db.DataSourceConfig;
import com.storeops.db.DatabaseSettings;
import com.storeops.db.EmbeddedPostgresServer;
import com.storeops.db.FixedSizePool;
import com.storeops.temporal.EmbeddedTemporalServer;
import com.storeops.testing.ConnectionHoldAudit;
import com.storeops.worker.ActivityBudget;
import com.storeops.worker.QueueTuning;
import com.storeops.worker.Roles;
import com.storeops.worker.SharedActivityBudget;
import com.storeops.worker.WorkerSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The four queue workers of one storeops worker process, wired as production wires them
 * ({@link QueueTuning}, {@link ActivityBudget}), on a real PostgreSQL and a real Temporal server
 * protocol, with synthetic activities and a sampler that watches the pool every millisecond.
 * Load tests and the benchmarks in bench/ drive it.
 */
public final class BudgetLab implements AutoCloseable {

  /** Shared weighted budget (storeops) or fixed slots per queue (the seed's Celery shape). */
  public enum Mode { SHARED_BUDGET, FIXED_SLOTS_PER_QUEUE }

  /**
   * @param poolSize DB_POOL_SIZE
   * @param maxOverflow DB_MAX_OVERFLOW
   * @param poolTimeout DB_POOL_TIMEOUT
   * @param poolRecycle DB_POOL_RECYCLE
   * @param apiRole whether an API reserve is kept
   * @param settings worker settings (weights, caps, pollers)
   * @param mode how activity slots are given out
   * @param fixedSlots slots per queue in FIXED_SLOTS_PER_QUEUE mode
   */
  public record Setup(
      int poolSize, int maxOverflow, Duration poolTimeout, Duration poolRecycle, boolean apiRole, WorkerSettings settings,
      Mode mode, int fixedSlots) {

    public static Setup shared(int poolSize, int maxOverflow, boolean apiRole, Map<TaskQueue, Integer> caps) {
      return new Setup(poolSize, maxOverflow, Duration.ofSeconds(30), Duration.ofSeconds(600), apiRole, settings(caps),
          Mode.SHARED_BUDGET, 0);
    }

    public Setup withRecycle(Duration recycle) {
      return new Setup(poolSize, maxOverflow, poolTimeout, recycle, apiRole, settings, mode, fixedSlots);
    }

    public static WorkerSettings settings(Map<TaskQueue, Integer> caps) {
      Map<TaskQueue, WorkerSettings.Queue> queues = new EnumMap<>(TaskQueue.class);
      for (TaskQueue q : TaskQueue.values()) {
        queues.put(q, new WorkerSettings.Queue(q.defaultWeight(), caps.get(q), 1, 2));
      }
      return new WorkerSettings("api,worker", 3, null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, queues);
    }
  }

  private final Path dir;
  private final EmbeddedPostgresServer postgres;
  private final HikariDataSource pool;
  private final ConnectionHoldAudit holds;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final EmbeddedTemporalServer temporal;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final SharedActivityBudget budget;
  private final int budgetSize;
  private final LabRecorder recorder = new LabRecorder();
  private final Sampler sampler;

  private BudgetLab(Setup setup) throws IOException, SQLException {
    dir = Files.createTempDirectory("storeops-lab");
    postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0);
    DatabaseSettings db = new DatabaseSettings(
        "", false, setup.poolSize(), setup.maxOverflow(), setup.poolTimeout(), setup.poolRecycle(), dir, 0,
        Duration.ofSeconds(300));
    HikariConfig config = DataSourceConfig.hikariConfig(db, postgres.url());
    pool = new HikariDataSource(config);
    if (setup.mode() == Mode.SHARED_BUDGET) {
      new FixedSizePool(pool).open(); // as storeops opens its pool once leased
    }
    awaitPoolFilled(setup.poolSize());
    // Measured from here: the opening's own borrows are the start-up, not a wait of any activity.
    pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    holds = new ConnectionHoldAudit(pool);
    temporal = EmbeddedTemporalServer.start(0);
    stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(temporal.target())
            .setRpcLongPollTimeout(setup.settings().longPollTimeout())
            .build());
    client = WorkflowClient.newInstance(stubs);
    factory = WorkerFactory.newInstance(client);
    if (setup.mode() == Mode.SHARED_BUDGET) {
      ActivityBudget plan = ActivityBudget.plan(
          db.maximumPoolSize(), new Roles(setup.apiRole(), true), setup.settings(), Runtime.getRuntime().availableProcessors());
      budget = plan.newSharedBudget();
      budgetSize = plan.budget();
    } else {
      budget = null;
      budgetSize = setup.fixedSlots() * TaskQueue.values().length;
    }
    for (TaskQueue q : TaskQueue.values()) {
      Worker worker = factory.newWorker(q.queueName(), workerOptions(setup, q));
      worker.registerWorkflowImplementationTypes(
          WorkflowImplementationOptions.newBuilder()
              .setDefaultActivityOptions(ActivityDefaults.activityOptions(Duration.ofMinutes(5)))
              .build(),
          FloodWorkflowImpl.class);
      worker.registerActivitiesImplementations(new LoadActivitiesImpl(holds, recorder));
    }
    factory.start();
    sampler = new Sampler();
    sampler.start();
  }

  /** Hikari opens the connections above the first in the background; a run starts on a full pool. */
  private void awaitPoolFilled(int minimumIdle) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pool.getHikariPoolMXBean().getTotalConnections() < minimumIdle) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pool did not reach " + minimumIdle + " connections");
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  public static BudgetLab start(Setup setup) {
    try {
      return new BudgetLab(setup);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private WorkerOptions workerOptions(Setup setup, TaskQueue q) {
    WorkerOptions.Builder builder = WorkerOptions.newBuilder();
    if (budget != null) {
      return QueueTuning.apply(builder, q, setup.settings(), budget).build();
    }
    return builder
        .setWorkerTuner(new CompositeTuner(
            new FixedSizeSlotSupplier<>(10), new FixedSizeSlotSupplier<>(setup.fixedSlots()),
            new FixedSizeSlotSupplier<>(1), new FixedSizeSlotSupplier<>(1)))
        .setMaxConcurrentActivityTaskPollers(1)
        .setMaxConcurrentWorkflowTaskPollers(2)
        .setDisableEagerExecution(true)
        .build();
  }

  /** Starts a workflow on {@code queue} that schedules {@code count} activities there at once. */
  public CompletableFuture<Integer> flood(TaskQueue queue, int count, long millis, boolean holdConnection) {
    FloodWorkflow workflow = client.newWorkflowStub(
        FloodWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(queue.queueName())
            .setWorkflowId("flood-" + queue.queueName() + "-" + UUID.randomUUID())
            .build());
    return WorkflowClient.execute(workflow::flood, new FloodWorkflow.Flood(queue.queueName(), count, millis, holdConnection));
  }

  /** How long any activity held a connection without talking to the database. */
  public ConnectionHoldAudit holds() {
    return holds;
  }

  public LabRecorder recorder() {
    return recorder;
  }

  public SharedActivityBudget budget() {
    return budget;
  }

  public int budgetSize() {
    return budgetSize;
  }

  public int maxThreadsAwaitingConnection() {
    return sampler.maxAwaiting.get();
  }

  /**
   * Threads awaiting a connection in two consecutive samples (1 ms apart). Hikari counts a borrower
   * as awaiting from the moment it scans the shared list, even when a connection is free there, so
   * a single sample can catch an ordinary borrow; a real wait for a connection another thread holds
   * lasts as long as that thread's database work and shows in consecutive samples.
   */
  public int maxSustainedThreadsAwaiting() {
    return sampler.maxSustainedAwaiting.get();
  }

  /**
   * Threads awaiting a connection in a sample where no connection was idle: borrowers that really
   * waited for one to be returned or created, not ones caught scanning a pool with a free one.
   */
  public int maxAwaitingWithNoneIdle() {
    return sampler.maxAwaitingNoneIdle.get();
  }

  public int maxActiveConnections() {
    return sampler.maxActive.get();
  }

  /** Permits held by running activities, at most, as the budget itself counted them. */
  public int maxBudgetRunning() {
    return sampler.maxBudgetRunning.get();
  }

  public int samples() {
    return sampler.samples.get();
  }

  public long connectionTimeouts() {
    Counter c = meters.find("hikaricp.connections.timeout").counter();
    return c == null ? 0 : (long) c.count();
  }

  /** Connection borrows that waited at least {@code threshold}, their total and longest wait. */
  public record Waits(long borrows, double totalSeconds, double maxSeconds) {}

  public Waits connectionWaits() {
    Timer acquire = meters.find("hikaricp.connections.acquire").timer();
    if (acquire == null) {
      return new Waits(0, 0, 0);
    }
    return new Waits(acquire.count(), acquire.totalTime(TimeUnit.SECONDS), acquire.max(TimeUnit.SECONDS));
  }

  @Override
  public void close() {
    sampler.interrupt();
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    stubs.shutdownNow();
    temporal.close();
    pool.close();
    postgres.close();
  }

  /** Reads the pool and the budget every millisecond: a wait that lasts one sample is seen. */
  private final class Sampler extends Thread {
    final AtomicInteger maxAwaiting = new AtomicInteger();
    final AtomicInteger maxSustainedAwaiting = new AtomicInteger();
    final AtomicInteger maxAwaitingNoneIdle = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final AtomicInteger maxBudgetRunning = new AtomicInteger();
    final AtomicInteger samples = new AtomicInteger();

    Sampler() {
      super("budget-lab-sampler");
      setDaemon(true);
    }

    @Override
    public void run() {
      int previous = 0;
      while (!isInterrupted()) {
        var mx = pool.getHikariPoolMXBean();
        int awaiting = mx.getThreadsAwaitingConnection();
        maxAwaiting.accumulateAndGet(awaiting, Math::max);
        maxSustainedAwaiting.accumulateAndGet(Math.min(awaiting, previous), Math::max);
        if (awaiting > 0 && mx.getIdleConnections() == 0) {
          maxAwaitingNoneIdle.accumulateAndGet(awaiting, Math::max);
        }
        previous = awaiting;
        maxActive.accumulateAndGet(mx.getActiveConnections(), Math::max);
        if (budget != null) {
          maxBudgetRunning.accumulateAndGet(budget.running(), Math::max);
        }
        samples.incrementAndGet();
        LockSupport.parkNanos(1_000_000);
      }
    }
  }
}
