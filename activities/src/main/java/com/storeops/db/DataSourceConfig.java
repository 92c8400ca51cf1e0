package com.storeops.db;

import com.storeops.config.InvalidSettingException;
import com.storeops.db.fleet.FleetMembership;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The one connection pool of the process, built from {@link DatabaseSettings}. Every budget in storeops
 * (activity slots, API reserve) is checked against its maximumPoolSize; the pool is opened in full
 * ({@link FixedSizePool}) and split between activities and the reserve ({@link ReservedConnections}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseSettings.class)
public class DataSourceConfig {

  public static final String POOL_NAME = "storeops";
  private static final Logger log = LoggerFactory.getLogger(DataSourceConfig.class);

  @Bean(destroyMethod = "close")
  @Conditional(NoDatabaseUrl.class)
  EmbeddedPostgresServer embeddedPostgres(DatabaseSettings settings) {
    return EmbeddedPostgresServer.start(settings.embeddedDirectory(), settings.embeddedPort());
  }

  @Bean
  OperationLabellingDataSource dataSource(
      DatabaseSettings settings,
      ObjectProvider<EmbeddedPostgresServer> embedded,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ConnectionReserve> reserve) {
    DatabaseUrl url = settings.embedded() ? embedded.getObject().url() : DatabaseUrl.parse(settings.url());
    HikariConfig config = hikariConfig(settings, url);
    meterRegistry.ifAvailable(registry -> config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InvalidSettingException(
          settings.embedded() ? "embedded PostgreSQL" : "DATABASE_URL",
          "cannot connect to " + url.describe() + (url.user() == null ? "" : " as " + url.user())
              + ": " + rootMessage(e),
          null);
    }
    log.info(
        "Connection pool '{}': {} (DB_POOL_SIZE) + {} (DB_MAX_OVERFLOW) = {} connections, all kept open once "
            + "the fleet lease is granted; wait {} s (DB_POOL_TIMEOUT), recycle {} s (DB_POOL_RECYCLE), statements at "
            + "most {} s (DB_STATEMENT_TIMEOUT, 0: none), database {}",
        POOL_NAME, settings.poolSize(), settings.maxOverflow(), settings.maximumPoolSize(),
        settings.poolTimeout().toSeconds(), settings.maxLifetime().toSeconds(),
        settings.statementTimeout().toSeconds(), url.describe());
    if (settings.supabaseUsePooler()) {
      log.info(
          "SUPABASE_USE_POOLER=true: prepareThreshold=0, so no server-side prepared statements "
              + "(a transaction-mode pooler may run the next statement on another server connection). "
              + "Limited behind it: application_name per operation in pg_stat_activity is a hint, "
              + "not a fact, and session settings do not survive a transaction.");
    }
    ConnectionReserve reserved = reserve.getIfAvailable();
    if (reserved == null) {
      return new OperationLabellingDataSource(pool);
    }
    ReservedConnections split = new ReservedConnections(pool, reserved.connections(), settings.poolTimeout());
    meterRegistry.ifAvailable(registry -> bindReserveMetrics(registry, split));
    return new OperationLabellingDataSource(split);
  }

  private static void bindReserveMetrics(MeterRegistry registry, ReservedConnections reserve) {
    Gauge.builder("storeops.connections.reserve", reserve, ReservedConnections::reserve)
        .description("Connections borrowers outside activities (API, health checks) may hold at once")
        .register(registry);
    Gauge.builder("storeops.connections.reserve.active", reserve, ReservedConnections::inUse)
        .description("Reserved connections held now")
        .register(registry);
    Gauge.builder("storeops.connections.reserve.pending", reserve, ReservedConnections::awaiting)
        .description("Borrowers outside activities waiting for a reserved connection")
        .register(registry);
    FunctionCounter.builder("storeops.connections.reserve.timeout", reserve, ReservedConnections::timeouts)
        .description("Borrowers outside activities that gave up waiting for a reserved connection")
        .register(registry);
  }

  /**
   * Flyway migrates before any activity can run, and may hold two connections at once; the reserve
   * of a worker-only process is one. It therefore borrows from the pool itself.
   */
  @Bean
  FlywayConfigurationCustomizer migrateOnThePool(OperationLabellingDataSource dataSource) {
    return configuration -> {
      try {
        configuration.dataSource(dataSource.unwrap(HikariDataSource.class));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * Opens the rest of the pool once this process holds its fleet lease (or at once where no fleet
   * is wired), before any worker polls: see {@link FixedSizePool}.
   */
  @Bean
  FixedSizePool fixedSizePool(OperationLabellingDataSource dataSource, ObjectProvider<FleetMembership> fleet)
      throws SQLException {
    fleet.ifAvailable(leased -> {});
    return new FixedSizePool(dataSource.unwrap(HikariDataSource.class)).open();
  }

  public static HikariConfig hikariConfig(DatabaseSettings settings, DatabaseUrl url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(url.credentials());
    config.addDataSourceProperty("ApplicationName", OperationLabellingDataSource.DEFAULT_NAME);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    if (settings.supabaseUsePooler()) {
      config.addDataSourceProperty("prepareThreshold", "0");
    } else if (!settings.statementTimeout().isZero()) {
      // A startup option, so it holds on every connection without a statement of its own. A
      // transaction-mode pooler does not pass startup options on; there the socket timeout alone
      // bounds a stuck statement.
      config.addDataSourceProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis());
    }
    // Temporal does not interrupt an attempt that timed out: a statement that never returns would
    // keep its connection and its activity's budget permit for good.
    config.addDataSourceProperty("socketTimeout", String.valueOf(settings.socketTimeout().toSeconds()));
    config.setMinimumIdle(settings.poolSize());
    config.setMaximumPoolSize(settings.maximumPoolSize());
    config.setConnectionTimeout(settings.poolTimeout().toMillis());
    config.setMaxLifetime(settings.maxLifetime().toMillis());
    config.setKeepaliveTime(settings.keepaliveTime().toMillis());
    config.setIdleTimeout(0); // a fixed-size pool retires connections by age only
    return config;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The embedded server starts only when DATABASE_URL is blank. */
  static class NoDatabaseUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("storeops.database.url");
      return url == null || url.isBlank();
    }
  }
}
