package com.storeops.api.health;

import com.storeops.db.DataSourceConfig;
import com.storeops.db.ReservedConnections;
import com.storeops.db.fleet.FleetMembership;
import com.storeops.operations.OperationTracker;
import com.storeops.worker.ActivityBudget;
import com.storeops.worker.SharedActivityBudget;
import com.storeops.worker.Roles;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
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
  private final ReservedConnections reserved;
  private final MeterRegistry meters;
  private final ActivityBudget budget;
  private final SharedActivityBudget shared;
  private final OperationTracker tracker;
  private final Roles roles;
  private final FleetMembership fleet;

  PoolHealthController(
      DataSource dataSource, MeterRegistry meters, ActivityBudget budget, SharedActivityBudget shared,
      OperationTracker tracker, Roles roles, FleetMembership fleet) throws SQLException {
    this.pool = dataSource.unwrap(HikariDataSource.class);
    this.reserved = dataSource.isWrapperFor(ReservedConnections.class) ? dataSource.unwrap(ReservedConnections.class) : null;
    this.meters = meters;
    this.budget = budget;
    this.shared = shared;
    this.tracker = tracker;
    this.roles = roles;
    this.fleet = fleet;
  }

  /** {@code fleet}: every process's leased pool on this PostgreSQL, against max_connections − reserve. */
  record PoolHealth(Pool pool, Budget budget, Reserve reserve, List<Queue> queues, int activeOperations,
      FleetMembership.Fleet fleet) {}

  /**
   * The connections borrowers outside activities (API requests, health checks) may hold at once:
   * held now, borrowers waiting for one (they wait here, never in the pool), waits that timed out;
   * and since start, borrows and the milliseconds they spent waiting and holding, all together.
   */
  record Reserve(int connections, int active, int awaiting, long timeouts, long borrows, long waitedMillis, long heldMillis) {}

  record Pool(String name, int active, int idle, int total, int max, int minIdle, int threadsAwaitingConnection, long connectionTimeouts) {}

  record Budget(String roles, int pool, int apiReserve, int activities, int running) {}

  record Queue(String queue, int priority, int weight, int cap, int held, int running, int waiting, long grants) {}

  @GetMapping("/api/health/pool")
  PoolHealth pool() {
    HikariPoolMXBean mx = pool.getHikariPoolMXBean();
    Counter timeouts = meters.find("hikaricp.connections.timeout").tag("pool", DataSourceConfig.POOL_NAME).counter();
    Pool p = new Pool(
        pool.getPoolName(), mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
        pool.getMaximumPoolSize(), pool.getMinimumIdle(), mx.getThreadsAwaitingConnection(),
        timeouts == null ? 0 : (long) timeouts.count());
    List<SharedActivityBudget.QueueUse> use = shared.use();
    List<Queue> queues = use.stream()
        .map(u -> new Queue(u.queue().queueName(), u.queue().rank(), u.weight(), u.cap(), u.held(),
            u.running(), u.waiting(), u.grants()))
        .toList();
    Reserve reserve = reserved == null ? null
        : new Reserve(reserved.reserve(), reserved.inUse(), reserved.awaiting(), reserved.timeouts(),
            reserved.borrows(), reserved.waited().toMillis(), reserved.held().toMillis());
    return new PoolHealth(
        p, new Budget(roles.toString(), budget.pool(), budget.reserve(), budget.budget(), use.stream().mapToInt(SharedActivityBudget.QueueUse::running).sum()),
        reserve, queues, tracker.activeOperations(), fleet.fleet());
  }
}
