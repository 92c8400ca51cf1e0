package com.storeops;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;

/**
 * A worker asks Temporal to send its workflows' next tasks to its own sticky queue. A real server
 * stops doing so when that worker is gone (after 5 s, or at once when the queue has no poller);
 * Temporal's Java test server never does, so a workflow whose worker was SIGKILLed would wait
 * forever. Dropping the request makes every workflow task go to the shared queue with its full
 * history — what a real server falls back to once the worker is gone.
 */
final class StickyQueuesOff implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        super.onMessage(message instanceof RespondWorkflowTaskCompletedRequest r && r.hasStickyAttributes()
            ? (Q) r.toBuilder().clearStickyAttributes().build() : message);
      }
    };
  }
}
