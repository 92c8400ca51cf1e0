package com.storeops.worker;

import com.storeops.db.ActivityScope;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Runs every activity in {@link ActivityScope}, so that its connections are counted against its
 * budget permit and not against the reserve kept for the API: on every activity of every queue,
 * whether or not its body calls the operation tracker.
 *
 * <p>Activity threads also run at the lowest Java priority, so that on a busy CPU an API request
 * is scheduled before an import's parsing or an icon's rendering. The JVM passes it on to Linux
 * only when started with {@code -XX:ThreadPriorityPolicy=1}, and then as the thread's nice value
 * ({@code -XX:JavaPriority1_To_OSPriority=19}: the lowest; docs/benchmarks.md, "API under
 * load"); without those flags it changes nothing. The SDK's activity threads run nothing but
 * activities, so the priority stays: an unprivileged process may lower its threads' priority,
 * never raise it back.
 */
class ActivityScopeInterceptor extends WorkerInterceptorBase {

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        Thread current = Thread.currentThread();
        if (current.getPriority() != Thread.MIN_PRIORITY) {
          current.setPriority(Thread.MIN_PRIORITY);
        }
        return ActivityScope.run(() -> super.execute(input));
      }
    };
  }
}
