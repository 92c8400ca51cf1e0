package com.storeops.db;

import com.storeops.config.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * The database settings, mapped from the environment in application.yml (README's configuration
 * table gives each one's meaning and default).
 *
 * <p>SQLAlchemy's {@code QueuePool(pool_size, max_overflow)} keeps {@code pool_size} connections and
 * opens up to {@code max_overflow} more under load. storeops keeps the names and the sum, {@code
 * maximumPoolSize = pool_size + max_overflow}, but opens all of them once the fleet has room
 * ({@link FixedSizePool}): a connection opened on demand makes its first borrower wait for it.
 *
 * @param url DATABASE_URL; blank starts the embedded PostgreSQL
 * @param supabaseUsePooler SUPABASE_USE_POOLER: the URL points at a transaction-mode pooler
 * @param poolSize DB_POOL_SIZE: connections open before the fleet lease (Hikari's first minimumIdle)
 * @param maxOverflow DB_MAX_OVERFLOW: the rest of the pool, opened once the lease is granted
 * @param poolTimeout DB_POOL_TIMEOUT, seconds: wait for a free connection (connectionTimeout)
 * @param poolRecycle DB_POOL_RECYCLE, seconds: retire a connection after this age (maxLifetime)
 * @param embeddedDirectory data directory of the embedded PostgreSQL
 * @param embeddedPort port of the embedded PostgreSQL; 0 picks a free one
 * @param statementTimeout DB_STATEMENT_TIMEOUT, seconds: PostgreSQL cancels a statement running (or
 *     waiting for a lock) longer; 0 for none
 */
@ConfigurationProperties("storeops.database")
public record DatabaseSettings(
    String url,
    boolean supabaseUsePooler,
    Integer poolSize,
    Integer maxOverflow,
    @DurationUnit(ChronoUnit.SECONDS) Duration poolTimeout,
    @DurationUnit(ChronoUnit.SECONDS) Duration poolRecycle,
    Path embeddedDirectory,
    int embeddedPort,
    @DurationUnit(ChronoUnit.SECONDS) Duration statementTimeout) {

  private static final Duration HIKARI_MIN_TIMEOUT = Duration.ofMillis(250);
  private static final Duration HIKARI_MIN_LIFETIME = Duration.ofSeconds(30);
  private static final Duration KEEPALIVE = Duration.ofMinutes(2);
  private static final Duration SOCKET_MARGIN = Duration.ofMinutes(1);

  public DatabaseSettings {
    InvalidSettingException.requireSet("DB_POOL_SIZE", poolSize);
    InvalidSettingException.requireSet("DB_MAX_OVERFLOW", maxOverflow);
    InvalidSettingException.requireSet("DB_POOL_TIMEOUT", poolTimeout);
    InvalidSettingException.requireSet("DB_POOL_RECYCLE", poolRecycle);
    InvalidSettingException.requireSet("DB_STATEMENT_TIMEOUT", statementTimeout);
    if (poolSize < 0) {
      throw new InvalidSettingException("DB_POOL_SIZE", "must be 0 or more, was " + poolSize);
    }
    if (maxOverflow < 0) {
      throw new InvalidSettingException("DB_MAX_OVERFLOW", "must be 0 or more, was " + maxOverflow);
    }
    if (poolSize + maxOverflow < 1) {
      throw new InvalidSettingException(
          "DB_POOL_SIZE", "DB_POOL_SIZE + DB_MAX_OVERFLOW = 0: the pool needs at least one connection");
    }
    if (statementTimeout.isNegative()) {
      throw new InvalidSettingException("DB_STATEMENT_TIMEOUT", "must be 0 (none) or more, was " + statementTimeout.toSeconds());
    }
    if (poolTimeout.compareTo(HIKARI_MIN_TIMEOUT) < 0) {
      throw new InvalidSettingException("DB_POOL_TIMEOUT", "must be at least 0.25 s, was " + poolTimeout);
    }
    if (!poolRecycle.isNegative() && !poolRecycle.isZero() && poolRecycle.compareTo(HIKARI_MIN_LIFETIME) < 0) {
      throw new InvalidSettingException(
          "DB_POOL_RECYCLE", "must be -1 (never) or at least 30 s (HikariCP's minimum), was " + poolRecycle.toSeconds());
    }
  }

  /**
   * pgjdbc's socketTimeout: a minute beyond the statement timeout, for the case PostgreSQL cannot
   * cancel — a server that went silent (partition, frozen host) answers nothing, and TCP keepalive
   * notices only after hours. 0 (none) when statements have no timeout.
   */
  public Duration socketTimeout() {
    return statementTimeout.isZero() ? Duration.ZERO : statementTimeout.plus(SOCKET_MARGIN);
  }

  public boolean embedded() {
    return url == null || url.isBlank();
  }

  /** maximumPoolSize: the number every budget in storeops is checked against. */
  public int maximumPoolSize() {
    return poolSize + maxOverflow;
  }

  /** maxLifetime; SQLAlchemy's -1 (never recycle) is Hikari's 0. */
  public Duration maxLifetime() {
    return poolRecycle.isNegative() ? Duration.ZERO : poolRecycle;
  }

  /**
   * keepaliveTime must stay below maxLifetime: two minutes, or half the lifetime when that is
   * shorter, or off when half the lifetime is under Hikari's 30 s minimum.
   */
  public Duration keepaliveTime() {
    Duration lifetime = maxLifetime();
    if (lifetime.isZero()) {
      return KEEPALIVE;
    }
    Duration half = lifetime.dividedBy(2);
    if (half.compareTo(HIKARI_MIN_LIFETIME) < 0) {
      return Duration.ZERO;
    }
    return half.compareTo(KEEPALIVE) < 0 ? half : KEEPALIVE;
  }
}
