package com.storeops.db.fleet;

/** The statements on fleet_leases; {@link FleetLeases} is their only caller. */
final class FleetSql {

  private FleetSql() {}

  /** Joins queue behind each other (for the transaction), so two can never both take the last room. */
  static final String LOCK_FLEET = """
      select pg_advisory_xact_lock(hashtext('storeops.fleet_leases'))""";

  static final String DROP_EXPIRED = """
      delete from fleet_leases where expires_at < now()""";

  static final String MAX_CONNECTIONS = """
      select current_setting('max_connections')::integer""";

  static final String OTHERS = """
      select process, pool_size, expires_at from fleet_leases
      where id <> :id and expires_at >= now()
      order by joined_at, id""";

  static final String UPSERT = """
      insert into fleet_leases (id, process, pool_size, expires_at)
      values (:id, :process, :poolSize, now() + make_interval(secs => :ttlSeconds))
      on conflict (id) do update set pool_size = excluded.pool_size, expires_at = excluded.expires_at""";

  static final String RENEW = """
      update fleet_leases set expires_at = now() + make_interval(secs => :ttlSeconds)
      where id = :id and expires_at >= now()""";

  static final String LEAVE = """
      delete from fleet_leases where id = :id""";

  static final String MEMBERS = """
      select process, pool_size, expires_at from fleet_leases
      where expires_at >= now()
      order by joined_at, id""";
}
