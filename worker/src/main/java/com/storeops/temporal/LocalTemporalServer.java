package com.storeops.temporal;

/** A Temporal server storeops started itself because TEMPORAL_ADDRESS is unset; closed when storeops stops. */
public sealed interface LocalTemporalServer extends AutoCloseable permits DevTemporalServer, EmbeddedTemporalServer {

  TemporalServerKind kind();

  /** host:port of its gRPC frontend. */
  String target();

  /** Base URL of its Web UI, or null without one. */
  String uiUrl();

  @Override
  void close();
}
