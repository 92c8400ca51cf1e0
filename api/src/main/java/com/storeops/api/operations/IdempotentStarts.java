package com.storeops.api.operations;

import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.UnprocessableException;
import com.storeops.operations.OperationRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key} on the POSTs that start operations: a client that timed out and retries
 * gets the operation its first request started (200, {@code Idempotent-Replayed: true}) instead of a
 * second one. The key is claimed before anything starts, so two racing retries cannot both start:
 * the loser hears 409 until the winner's operation exists. The same key with a different request is
 * a 422; a request that failed (4xx or 5xx) frees its key. Keys are kept
 * STOREOPS_IDEMPOTENCY_KEY_RETENTION (a day).
 */
@Component
public class IdempotentStarts {

  public static final String HEADER = "Idempotency-Key";

  private final JdbcClient jdbc;
  private final OperationRepository operations;
  private final OperationViews views;
  private final Duration retention;

  IdempotentStarts(JdbcClient jdbc, OperationRepository operations, OperationViews views,
      @Value("${storeops.api.idempotency-key-retention:24h}") Duration retention) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.views = views;
    this.retention = retention;
  }

  /** Runs {@code start} unless {@code key} already started an operation in {@code scope}; {@code request} identifies the request. */
  public ResponseEntity<?> once(String key, String scope, String request, Supplier<ResponseEntity<?>> start) {
    if (key == null) {
      return start.get();
    }
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidFieldException(HEADER, "must be 1 to 255 visible ASCII characters, e.g. a UUID");
    }
    String fingerprint = sha256(request);
    jdbc.sql("delete from idempotency_keys where created_at < now() - make_interval(secs => ?)").param(retention.toSeconds()).update();
    Optional<ResponseEntity<?>> earlier = replay(scope, key, fingerprint);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    int claimed = jdbc.sql("insert into idempotency_keys (scope, key, fingerprint) values (?, ?, ?) on conflict do nothing")
        .param(scope).param(key).param(fingerprint).update();
    if (claimed == 0) {
      return replay(scope, key, fingerprint).orElseThrow();
    }
    try {
      ResponseEntity<?> response = start.get();
      if (response.getBody() instanceof OperationView view) {
        jdbc.sql("update idempotency_keys set operation_id = ? where scope = ? and key = ?").param(view.id()).param(scope).param(key).update();
      } else {
        release(scope, key); // a dry run started nothing
      }
      return response;
    } catch (RuntimeException e) {
      release(scope, key);
      throw e;
    }
  }

  private record Claim(String fingerprint, UUID operationId) {}

  private Optional<ResponseEntity<?>> replay(String scope, String key, String fingerprint) {
    Optional<Claim> claim = jdbc.sql("select fingerprint, operation_id from idempotency_keys where scope = ? and key = ?")
        .param(scope).param(key).query((rs, n) -> new Claim(rs.getString(1), rs.getObject(2, UUID.class))).optional();
    if (claim.isEmpty()) {
      return Optional.empty();
    }
    if (!claim.get().fingerprint().equals(fingerprint)) {
      throw new UnprocessableException(HEADER + " " + key + " was already used for a different request; use a new key for a new request");
    }
    return claim.map(Claim::operationId).flatMap(operations::findById)
        .<ResponseEntity<?>>map(op -> ResponseEntity.ok().header("Idempotent-Replayed", "true").body(views.of(op)))
        .or(() -> {
          throw new ConflictException("the first request with " + HEADER + " " + key + " is still starting its operation; retry in a moment");
        });
  }

  private void release(String scope, String key) {
    jdbc.sql("delete from idempotency_keys where scope = ? and key = ? and operation_id is null").param(scope).param(key).update();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
