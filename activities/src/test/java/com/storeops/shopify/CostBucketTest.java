package com.storeops.shopify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bucket estimate's arithmetic, on a clock the test moves. */
class CostBucketTest {

  private long now;
  private final CostBucket bucket = new CostBucket(() -> now, 60_000_000_000L);

  @Test
  void untilTheShopAnswersOnlyOneRequestIsOut() {
    assertThat(bucket.tryReserve(50)).isZero();
    assertThat(bucket.tryReserve(50)).as("a second request waits for the probe's answer").isPositive();

    bucket.observe(50, 50, 200, 150, 100);

    assertThat(bucket.tryReserve(50)).isZero();
    assertThat(bucket.tryReserve(50)).isZero();
  }

  @Test
  void aRequestTheBucketCannotPayWaitsForTheRestoreRateAndTakesNothingMeanwhile() {
    bucket.tryReserve(10);
    bucket.observe(10, 10, 200, 30, 100); // the shop: 30 left, 100 points/s

    assertThat(bucket.tryReserve(80)).as("(80 − 30) / 100 s").isEqualTo(500_000_000L);
    assertThat(bucket.available()).isEqualTo(30);

    now += 500_000_000L;
    assertThat(bucket.tryReserve(80)).isZero();
    assertThat(bucket.available()).isZero();
  }

  @Test
  void theServersLowerFigureWinsAndUnspentPointsComeBack() {
    bucket.tryReserve(10);
    bucket.observe(10, 10, 1000, 1000, 50);
    bucket.tryReserve(100);

    bucket.observe(100, 40, 1000, 400, 50); // another client spent 500 meanwhile
    assertThat(bucket.available()).as("min(900 + 60 refunded, 400)").isEqualTo(400);

    bucket.tryReserve(100);
    bucket.observe(100, 40, 1000, 900, 50);
    assertThat(bucket.available()).as("min(300 + 60, 900): requests still in flight are not forgotten").isEqualTo(360);
  }

  @Test
  void aThrottledAnswerReturnsTheReservationAndTakesTheServersFigures() {
    bucket.tryReserve(10);
    bucket.observe(10, 10, 1000, 1000, 100);
    bucket.tryReserve(500);

    bucket.throttled(500, 200, 50);

    assertThat(bucket.available()).isEqualTo(200);
    assertThat(bucket.tryReserve(500)).as("(500 − 200) / 50 s").isEqualTo(6_000_000_000L);
  }

  @Test
  void aProbeWhoseAnswerNeverCameBackExpires() {
    assertThat(bucket.tryReserve(10)).isZero();
    assertThat(bucket.tryReserve(10)).as("the probe is out").isPositive();

    now += 60_000_000_001L; // longer than a whole exchange may take: that answer is not coming

    assertThat(bucket.tryReserve(10)).as("the next request probes").isZero();
  }

  @Test
  void aRestoreRateOfZeroOrNonsenseNeverMakesAnEndlessWait() {
    bucket.tryReserve(10);
    bucket.observe(10, 10, 200, 0, 0);

    assertThat(bucket.tryReserve(50)).as("50 points at the last sane rate, 100/s").isEqualTo(500_000_000L);

    bucket.throttled(0, 0, Double.NaN);
    bucket.observe(0, 0, Double.POSITIVE_INFINITY, 0, -5);

    assertThat(bucket.tryReserve(50)).isEqualTo(500_000_000L);
  }

  @Test
  void theEstimateNeverExceedsTheMaximum() {
    bucket.tryReserve(10);
    bucket.observe(10, 10, 100, 90, 100);

    now += 60_000_000_000L;

    assertThat(bucket.available()).isEqualTo(100);
  }
}
