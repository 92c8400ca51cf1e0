package com.storeops.temporal;

/** Which kind of Temporal server this process talks to, and what that kind can do. */
public enum TemporalServerKind {
  /** Temporal's in-process Java test server: memory only, no Web UI, no visibility or search attributes. */
  TEST_SERVER(false, false),
  /** {@code temporal server start-dev}, started and owned by storeops: SQLite state, Web UI, search attributes. */
  DEV_SERVER(true, true),
  /**
   * A server at TEMPORAL_ADDRESS. Treated as a real cluster: the operator registers the search
   * attributes there (README, "Temporal"); the compose setup does it for its server.
   */
  REMOTE(true, true);

  private final boolean durable;
  private final boolean searchAttributes;

  TemporalServerKind(boolean durable, boolean searchAttributes) {
    this.durable = durable;
    this.searchAttributes = searchAttributes;
  }

  /** Whether workflow state outlives a restart of the server. */
  public boolean durable() {
    return durable;
  }

  /** Whether a workflow may be started with {@link TemporalSearchAttributes}: the test server rejects them. */
  public boolean supportsSearchAttributes() {
    return searchAttributes;
  }
}
