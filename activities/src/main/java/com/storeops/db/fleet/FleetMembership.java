package com.storeops.db.fleet;

import com.storeops.config.InvalidSettingException;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This process's place in the fleet. At startup, after the migrations and before any worker polls,
 * it leases its pool's maximum size; when the fleet has no room for it the process refuses to
 * start, with the arithmetic, rather than shrinking: a smaller pool would silently change every
 * budget derived from it (activity permits, API reserve), and an operator who scales past the
 * server should see why at once. The lease is renewed every third of its length and returned on a
 * clean shutdown; a crashed process's lease simply runs out.
 */
@Component
@DependsOnDatabaseInitialization
@EnableConfigurationProperties(FleetSettings.class)
public class FleetMembership implements InitializingBean, DisposableBean, MeterBinder {

  private static final Logger log = LoggerFactory.getLogger(FleetMembership.class);
  private static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

  private final FleetLeases leases;
  private final FleetSettings settings;
  private final int poolSize;
  private final UUID id = UUID.randomUUID();
  private final String process = processName();
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "fleet-lease");
    thread.setDaemon(true);
    return thread;
  });
  private volatile FleetLeases.Admission admission;

  @Autowired
  public FleetMembership(DataSource dataSource, JdbcClient jdbc, TransactionTemplate transactions, FleetSettings settings)
      throws SQLException {
    this(new FleetLeases(jdbc, transactions), settings, dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize());
  }

  FleetMembership(FleetLeases leases, FleetSettings settings, int poolSize) {
    this.leases = leases;
    this.settings = settings;
    this.poolSize = poolSize;
  }

  /** Joins the fleet or refuses to start. */
  @Override
  public void afterPropertiesSet() {
    FleetLeases.Admission joined = leases.join(id, process, poolSize, settings.reserve(), settings.lease());
    if (!joined.fits()) {
      throw new InvalidSettingException("DB_POOL_SIZE + DB_MAX_OVERFLOW",
          "no room in PostgreSQL for this process's pool: " + joined.arithmetic()
              + ". Stop a process, lower DB_POOL_SIZE/DB_MAX_OVERFLOW, or raise max_connections"
              + " (STOREOPS_FLEET_RESERVE is the part kept for others)");
    }
    admission = joined;
    log.info("Fleet lease {} for {} connections: {}", process, poolSize, joined.arithmetic());
    long every = Math.max(1, settings.lease().toMillis() / 3);
    renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * A lease that ran out while this process was stalled may have let another process in; the
   * renewal then joins again, and when there is no room any more it says so loudly but keeps
   * running — stopping live work would not give the connections back any sooner.
   */
  void renew() {
    try {
      if (!leases.renew(id, settings.lease())) {
        FleetLeases.Admission rejoined = leases.join(id, process, poolSize, settings.reserve(), settings.lease());
        admission = rejoined;
        if (rejoined.fits()) {
          log.warn("Fleet lease of {} had run out; joined again: {}", process, rejoined.arithmetic());
        } else {
          log.error("Fleet lease of {} ran out and the fleet is full now: {}", process, rejoined.arithmetic());
        }
      }
    } catch (RuntimeException e) {
      log.warn("Fleet lease of {} not renewed: {}", process, e.getMessage());
    }
  }

  /**
   * Returns the lease, waiting briefly: when the database is already gone (a shutdown after
   * PostgreSQL's, an outage) a borrow would wait the whole pool timeout, and the lease runs out by
   * itself anyway.
   */
  @Override
  public void destroy() {
    Future<?> leaving = renewals.submit(() -> leases.leave(id));
    renewals.shutdown();
    try {
      leaving.get(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      leaving.cancel(true);
      log.warn("Fleet lease of {} not returned (it runs out by itself): {}", process, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The fleet as /api/health/pool shows it. */
  public record Fleet(int maxConnections, int reserve, int room, int leased, int thisProcess, List<FleetLeases.Member> members) {}

  public Fleet fleet() {
    FleetLeases.Admission joined = admission;
    List<FleetLeases.Member> members = leases.members();
    int leased = members.stream().mapToInt(FleetLeases.Member::poolSize).sum();
    return new Fleet(joined.maxConnections(), joined.reserve(), joined.room(), leased, poolSize, members);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("storeops.fleet.room", this, m -> m.admission == null ? Double.NaN : m.admission.room())
        .description("Connections of max_connections that storeops processes may lease (max_connections - reserve)")
        .register(registry);
    Gauge.builder("storeops.fleet.lease", this, m -> m.poolSize)
        .description("Connections this process leases (its pool's maximum)")
        .register(registry);
  }

  private static String processName() {
    String pid = String.valueOf(ProcessHandle.current().pid());
    try {
      return InetAddress.getLocalHost().getHostName() + "/" + pid;
    } catch (UnknownHostException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }
}
