package com.storeops.temporal;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, serving the real gRPC protocol on 127.0.0.1. It is what {@code
 * TestServer.createPortBoundServer} starts, bound to loopback only: that method listens on every
 * interface, and this server has no authentication. State is in memory only.
 *
 * <p>Like Temporal's frontend, it answers a long poll with an empty response a second before the
 * client's deadline. The test server alone waits for the deadline itself, so the client sees
 * DEADLINE_EXCEEDED, which the SDK treats as a failure and backs off from for up to a minute —
 * an idle queue would then take a minute to notice new work.
 */
public final class EmbeddedTemporalServer implements LocalTemporalServer {

  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporalServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts on {@code port} (0 picks a free one); time runs at wall-clock speed, as on a real server. */
  public static EmbeddedTemporalServer start(int port) {
    return start(port, List.of());
  }

  /** The same, with more interceptors in front of the services: the seam tests use to mend a test-server gap. */
  public static EmbeddedTemporalServer start(int port, List<ServerInterceptor> more) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    List<ServerInterceptor> interceptors = new ArrayList<>(more);
    interceptors.add(new LongPollTailRoom());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder, interceptors);
    try {
      return new EmbeddedTemporalServer(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "could not start the embedded Temporal server on 127.0.0.1:" + port
              + " (is another Temporal listening there? then set TEMPORAL_ADDRESS to it)",
          e);
    }
  }

  /** Gives long polls one second of tail room, as Temporal's frontend does. */
  private static final class LongPollTailRoom implements ServerInterceptor {
    private static final long TAIL_ROOM_MILLIS = 1000;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Deadline deadline = Context.current().getDeadline();
      String method = call.getMethodDescriptor().getBareMethodName();
      if (deadline == null || method == null || !method.startsWith("Poll")
          || deadline.timeRemaining(TimeUnit.MILLISECONDS) <= 2 * TAIL_ROOM_MILLIS) {
        return next.startCall(call, headers);
      }
      Context shorter = Context.current().withDeadline(deadline.offset(-TAIL_ROOM_MILLIS, TimeUnit.MILLISECONDS), SCHEDULER);
      return Contexts.interceptCall(shorter, call, headers, next);
    }
  }

  private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "embedded-temporal-deadlines");
    t.setDaemon(true);
    return t;
  });

  public int port() {
    return server.getPort();
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port();
  }

  @Override
  public TemporalServerKind kind() {
    return TemporalServerKind.TEST_SERVER;
  }

  @Override
  public String uiUrl() {
    return null;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    services.close();
  }
}
