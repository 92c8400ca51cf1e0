package com.storeops.temporal;

/**
 * The Temporal server this process uses: its kind, its gRPC target and its Web UI (null when there
 * is none or none is known). A bean in every role, so code and tests ask it instead of guessing, e.g.
 * set search attributes at workflow start only when {@link #supportsSearchAttributes()}.
 */
public record TemporalServer(TemporalServerKind kind, String target, String uiUrl) {

  public boolean supportsSearchAttributes() {
    return kind.supportsSearchAttributes();
  }
}
