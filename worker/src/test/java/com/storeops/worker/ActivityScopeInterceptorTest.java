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
}
