package com.storeops.api.operations;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The only reader and writer of {@code idempotency_keys}: one statement per method. */
@Repository
class IdempotencyKeys {

  /** A key as claimed: the request's fingerprint, and the operation it started once it has one. */
  record Claim(String fingerprint, UUID operationId) {}

  private final JdbcClient jdbc;

  IdempotencyKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void forgetOlderThan(Duration retention) {
    jdbc.sql("""
        delete from idempotency_keys where created_at < now() - make_interval(secs => ?)""")
        .param(retention.toSeconds()).update();
  }

  Optional<Claim> find(String scope, String key) {
    return jdbc.sql("""
        select fingerprint, operation_id from idempotency_keys where scope = ? and key = ?""")
        .param(scope).param(key)
        .query((rs, n) -> new Claim(rs.getString(1), rs.getObject(2, UUID.class))).optional();
  }

  /** Claims {@code key} for a request; false when another request holds it already. */
  boolean claim(String scope, String key, String fingerprint) {
    return jdbc.sql("""
        insert into idempotency_keys (scope, key, fingerprint) values (?, ?, ?) on conflict do nothing""")
        .param(scope).param(key).param(fingerprint).update() == 1;
  }

  void attach(String scope, String key, UUID operationId) {
    jdbc.sql("""
        update idempotency_keys set operation_id = ? where scope = ? and key = ?""")
        .param(operationId).param(scope).param(key).update();
  }

  /** Frees a key whose request started nothing; a key that started an operation stays. */
  void release(String scope, String key) {
    jdbc.sql("""
        delete from idempotency_keys where scope = ? and key = ? and operation_id is null""")
        .param(scope).param(key).update();
  }
}
