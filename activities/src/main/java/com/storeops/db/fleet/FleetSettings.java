package com.storeops.db.fleet;

import com.storeops.config.InvalidSettingException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How processes share one PostgreSQL; defaults and the reasons for them are in application.yml and
 * README ("Deploy").
 *
 * @param reserve connections of max_connections that storeops processes never lease —
 *     superuser_reserved_connections, Temporal's pools on the same server, psql and backups
 *     ({@code STOREOPS_FLEET_RESERVE})
 * @param lease how long a process's lease lasts without renewal, so how long a crashed process keeps
 *     its connections counted; renewed every third of it ({@code STOREOPS_FLEET_LEASE})
 */
@ConfigurationProperties("storeops.fleet")
public record FleetSettings(int reserve, Duration lease) {

  public FleetSettings {
    if (reserve < 0) {
      throw new InvalidSettingException("STOREOPS_FLEET_RESERVE", "must be 0 or more, is " + reserve);
    }
    InvalidSettingException.requireSet("STOREOPS_FLEET_LEASE", lease);
    if (lease.toMillis() < 3) {
      throw new InvalidSettingException("STOREOPS_FLEET_LEASE", "must be a few seconds or more, is " + lease);
    }
  }
}
