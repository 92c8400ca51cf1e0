package com.storeops.api.health;

import com.storeops.common.TaskQueue;
import com.storeops.db.DataSourceConfig;
import com.storeops.operations.OperationTracker;
import com.storeops.worker.ActivityBudget;
import com.storeops.worker.QueueSlots;
import com.storeops.worker.Roles;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The numbers that matter when a shop backend melts: how many connections are busy, who waits for
 * one, how many waits timed out, and how much of each queue's activity budget is in use.
 */
@RestController
class PoolHealthController {

  private final HikariDataSource pool;
  private final MeterRegistry meters;
  private final ActivityBudget budget;
  private final QueueSlots slots;
  private final OperationTracker tracker;
  private final Roles roles;

  PoolHealthController(
      DataSource dataSource, MeterRegistry meters, ActivityBudget budget, QueueSlots slots,
      OperationTracker tracker, Roles roles) throws SQLException {
    this.pool = dataSource.unwrap(HikariDataSource.class);
    this.meters = meters;
    this.budget = budget;
    this.slots = slots;
    this.tracker = tracker;
    this.roles = roles;
  }

  record PoolHealth(Pool pool, Budget budget, List<Queue> queues, int activeOperations) {}

  record Pool(String name, int active, int idle, int total, int max, int minIdle, int threadsAwaitingConnection, long connectionTimeouts) {}

  record Budget(String roles, int pool, int apiReserve, int activities) {}

  record Queue(String queue, int priority, int running, int slots) {}

  @GetMapping("/api/health/pool")
  PoolHealth pool() {
    HikariPoolMXBean mx = pool.getHikariPoolMXBean();
    Counter timeouts = meters.find("hikaricp.connections.timeout").tag("pool", DataSourceConfig.POOL_NAME).counter();
    Pool p = new Pool(
        pool.getPoolName(), mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
        pool.getMaximumPoolSize(), pool.getMinimumIdle(), mx.getThreadsAwaitingConnection(),
        timeouts == null ? 0 : (long) timeouts.count());
    List<Queue> queues = Arrays.stream(TaskQueue.values())
        .map(q -> new Queue(q.queueName(), q.priorityKey(), slots.running(q), slots.max(q)))
        .toList();
    return new PoolHealth(
        p, new Budget(roles.toString(), budget.pool(), budget.reserve(), budget.budget()), queues,
        tracker.activeOperations());
  }
}
