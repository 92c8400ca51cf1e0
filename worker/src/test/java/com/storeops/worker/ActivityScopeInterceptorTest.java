package com.storeops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.db.ActivityScope;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import org.junit.jupiter.api.Test;

/** Every activity runs in ActivityScope, so its connections are paid by its permit, not the API's reserve. */
class ActivityScopeInterceptorTest {

  @Test
  void anActivityBodyRunsInActivityScopeAndTheThreadLeavesItAfterwards() {
    boolean[] inScope = new boolean[1];
    ActivityInboundCallsInterceptor body = new ActivityInboundCallsInterceptorBase(null) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        inScope[0] = ActivityScope.active();
        return new ActivityOutput(null);
      }
    };

    new ActivityScopeInterceptor().interceptActivity(body).execute(new ActivityInboundCallsInterceptor.ActivityInput(null, new Object[0]));

    assertThat(inScope[0]).isTrue();
    assertThat(ActivityScope.active()).isFalse();
  }

  /** The JVM turns it into the thread's nice value when started with -XX:ThreadPriorityPolicy=1. */
  @Test
  void anActivityRunsAtTheLowestPriority() throws Exception {
    int[] priority = new int[1];
    ActivityInboundCallsInterceptor body = new ActivityInboundCallsInterceptorBase(null) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        priority[0] = Thread.currentThread().getPriority();
        return new ActivityOutput(null);
      }
    };
    // On a thread of its own, as the SDK's activity executor: the priority stays with the thread.
    Thread executor = new Thread(() -> new ActivityScopeInterceptor().interceptActivity(body)
        .execute(new ActivityInboundCallsInterceptor.ActivityInput(null, new Object[0])));
    executor.setPriority(Thread.NORM_PRIORITY);
    executor.start();
    executor.join();

    assertThat(priority[0]).isEqualTo(Thread.MIN_PRIORITY);
  }
}
