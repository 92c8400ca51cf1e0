package com.storeops.api.operations;

import com.storeops.api.ApiSettings;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.UnprocessableException;
import com.storeops.api.operations.IdempotencyKeys.Claim;
import com.storeops.operations.Operations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
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

  private final IdempotencyKeys keys;
  private final Operations operations;
  private final OperationViews views;
  private final Duration retention;

  IdempotentStarts(IdempotencyKeys keys, Operations operations, OperationViews views, ApiSettings settings) {
    this.keys = keys;
    this.operations = operations;
    this.views = views;
    this.retention = settings.idempotencyKeyRetention();
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
    keys.forgetOlderThan(retention);
    Optional<ResponseEntity<?>> earlier = replay(scope, key, fingerprint);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    if (!keys.claim(scope, key, fingerprint)) {
      return replay(scope, key, fingerprint).orElseThrow();
    }
    try {
      ResponseEntity<?> response = start.get();
      if (response.getBody() instanceof OperationView view) {
        keys.attach(scope, key, view.id());
      } else {
        keys.release(scope, key); // a dry run started nothing
      }
      return response;
    } catch (RuntimeException e) {
      keys.release(scope, key);
      throw e;
    }
  }

  private Optional<ResponseEntity<?>> replay(String scope, String key, String fingerprint) {
    Optional<Claim> claim = keys.find(scope, key);
    if (claim.isEmpty()) {
      return Optional.empty();
    }
    if (!claim.get().fingerprint().equals(fingerprint)) {
      throw new UnprocessableException(HEADER + " " + key + " was already used for a different request; use a new key for a new request");
    }
    return claim.map(Claim::operationId).flatMap(operations::find)
        .<ResponseEntity<?>>map(op -> ResponseEntity.ok().header("Idempotent-Replayed", "true").body(views.of(op)))
        .or(() -> {
          throw new ConflictException("the first request with " + HEADER + " " + key + " is still starting its operation; retry in a moment");
        });
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
