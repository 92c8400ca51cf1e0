package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Activity polls end after STOREOPS_LONG_POLL_TIMEOUT; workflow polls keep the SDK's own deadline. */
class ActivityPollDeadlineTest {

  final ActivityPollDeadline deadline = new ActivityPollDeadline(Duration.ofSeconds(5));

  @Test
  void anActivityPollGetsTheShortDeadline() {
    CallOptions sent = send(WorkflowServiceGrpc.getPollActivityTaskQueueMethod(), CallOptions.DEFAULT.withDeadlineAfter(70, TimeUnit.SECONDS));

    assertThat(sent.getDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 5_000L);
  }

  @Test
  void aWorkflowPollKeepsItsLongPoll() {
    CallOptions sent = send(WorkflowServiceGrpc.getPollWorkflowTaskQueueMethod(), CallOptions.DEFAULT.withDeadlineAfter(70, TimeUnit.SECONDS));

    assertThat(sent.getDeadline().timeRemaining(TimeUnit.SECONDS)).isGreaterThan(60L);
  }

  private <Q, R> CallOptions send(MethodDescriptor<Q, R> method, CallOptions options) {
    CallOptions[] seen = new CallOptions[1];
    Channel channel = new Channel() {
      @Override
      public <A, B> ClientCall<A, B> newCall(MethodDescriptor<A, B> m, CallOptions o) {
        seen[0] = o;
        return null;
      }

      @Override
      public String authority() {
        return "test";
      }
    };
    deadline.interceptCall(method, options, channel);
    return seen[0];
  }
}
