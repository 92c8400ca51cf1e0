package com.storeops.worker;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends each long poll for activity tasks after STOREOPS_LONG_POLL_TIMEOUT, and only those: an
 * activity poller holds a budget permit while it polls, so an idle queue should give it back every
 * few seconds. Workflow task pollers hold no permit and keep the SDK's long poll (70 s): polling
 * them every 5 s as well would cost most of an idle process's CPU (bench/IdleBench).
 */
final class ActivityPollDeadline implements ClientInterceptor {

  private static final String ACTIVITY_POLL = WorkflowServiceGrpc.getPollActivityTaskQueueMethod().getFullMethodName();

  private final long millis;

  ActivityPollDeadline(Duration timeout) {
    this.millis = timeout.toMillis();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (ACTIVITY_POLL.equals(method.getFullMethodName())) {
      options = options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
    }
    return next.newCall(method, options);
  }
}
