package com.storeops.worker;

import com.storeops.db.ActivityScope;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Runs every activity in {@link ActivityScope}, so that its connections are counted against its
 * budget permit and not against the reserve kept for the API: on every activity of every queue,
 * whether or not its body calls the operation tracker.
 */
class ActivityScopeInterceptor extends WorkerInterceptorBase {

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        return ActivityScope.run(() -> super.execute(input));
      }
    };
  }
}
