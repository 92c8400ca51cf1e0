package com.storeops.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.ActivityDefaults;
import com.storeops.shopify.ShopifySettings;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SHOPIFY_SYNC_INTERVAL after a restart: the schedule workflow outlives the process that started
 * it, and the next process's start hands it the interval configured now.
 */
class ShopifySyncScheduleTest {

  private TestWorkflowEnvironment env;
  private final List<Long> startsAtSecond = Collections.synchronizedList(new ArrayList<>());
  private long t0;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker("sync");
    worker.registerWorkflowImplementationTypes(ActivityDefaults.workflowOptions(Duration.ofMinutes(5)), ShopifySyncScheduleWorkflowImpl.class);
    worker.registerActivitiesImplementations((ShopifySyncScheduleActivities) shop -> {
      startsAtSecond.add((env.currentTimeMillis() - t0) / 1000);
      return true;
    });
    env.start();
    t0 = env.currentTimeMillis();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aRestartWithAnotherIntervalSyncsOnTheNewOne() {
    storeopsStartsWithInterval(Duration.ofHours(1));
    env.sleep(Duration.ofMinutes(5));

    storeopsStartsWithInterval(Duration.ofMinutes(10));
    env.sleep(Duration.ofMinutes(26));

    // A signal's workflow task runs for a moment on the test server's real clock: a few seconds' slack.
    assertThat(startsAtSecond).as("every 10 min from the schedule's start, not after an hour").hasSize(3);
    assertThat(startsAtSecond.get(0)).isBetween(600L, 605L);
  }

  @Test
  void aRestartWithTheSameIntervalKeepsTheRhythm() {
    storeopsStartsWithInterval(Duration.ofMinutes(10));
    env.sleep(Duration.ofMinutes(5));

    storeopsStartsWithInterval(Duration.ofMinutes(10));
    env.sleep(Duration.ofMinutes(16));

    // Restarted on the restart's clock, the syncs would come at 900 and 1500 s. The same slack as
    // above for each start.
    assertThat(startsAtSecond).as("every 10 min from the first start, not from the restart").hasSize(2);
    assertThat(startsAtSecond.get(0)).isBetween(600L, 605L);
    assertThat(startsAtSecond.get(1) - startsAtSecond.get(0)).isBetween(600L, 605L);
  }

  private void storeopsStartsWithInterval(Duration interval) {
    ShopifySettings shop = new ShopifySettings("s.myshopify.com", null, null, null, null, null, null);
    new ShopifySyncSchedule(env.getWorkflowClient(), shop, new ShopifySyncSettings(null, null, interval, Duration.ofSeconds(10)))
        .startWhenConfigured();
  }
}
