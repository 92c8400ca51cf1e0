package com.storeops.shopify;

/**
 * This process's estimate of one shop's GraphQL cost bucket (Shopify's leaky bucket: up to
 * {@code maximum} points, refilled at {@code restoreRate} points per second). Every request of the
 * process takes its requested cost from here before it is sent and waits while the bucket cannot pay,
 * so concurrent requests pace themselves instead of collecting THROTTLED answers. Each response's
 * {@code throttleStatus} corrects the estimate: the server's figure wins when it is lower (another
 * client spends the same bucket), and the difference between requested and actual cost is refunded.
 */
final class CostBucket {

  /** Shopify's standard plan until the first response tells the real figures. */
  static final double DEFAULT_MAXIMUM = 2000;
  static final double DEFAULT_RESTORE_RATE = 100;

  private final Clock clock;
  private double maximum = DEFAULT_MAXIMUM;
  private double restoreRate = DEFAULT_RESTORE_RATE;
  private double available = DEFAULT_MAXIMUM;
  private long asOfNanos;
  private boolean known; // a response has told the shop's real figures
  private boolean probing; // one request is out to learn them
  private long probeSentNanos;
  private final long probeLimitNanos;

  /** Monotonic nanoseconds; a test may drive its own. */
  interface Clock {
    long nanoTime();
  }

  /**
   * @param probeLimitNanos how long a probe may be out: longer than any whole exchange, after which
   *     its answer is not coming and the next request probes instead
   */
  CostBucket(Clock clock, long probeLimitNanos) {
    this.clock = clock;
    this.probeLimitNanos = probeLimitNanos;
    this.asOfNanos = clock.nanoTime();
  }

  /**
   * Takes {@code cost} points and answers 0 when the bucket holds them; otherwise takes nothing and
   * answers how long until it will, in nanoseconds — the caller waits and asks again, because
   * answers arriving meanwhile may show the shop's bucket lower than this estimate.
   */
  synchronized long tryReserve(double cost) {
    if (!known) {
      // Until the shop has told its bucket (plans differ 10-fold), send one request, not a burst.
      long now = clock.nanoTime();
      if (probing && now - probeSentNanos < probeLimitNanos) {
        return 20_000_000;
      }
      probing = true;
      probeSentNanos = now;
    }
    refill();
    double needed = Math.min(cost, maximum); // a query above the maximum waits for a full bucket
    if (available >= needed) {
      available -= cost;
      return 0;
    }
    return Math.max(1_000_000, (long) Math.ceil((needed - available) / restoreRate * 1e9));
  }

  /** A response's throttleStatus, and what the request had reserved against what it cost. */
  synchronized void observe(double requested, double actual, double serverMaximum, double serverAvailable, double serverRate) {
    refill();
    known = true;
    maximum = sane(serverMaximum) ? serverMaximum : maximum;
    restoreRate = sane(serverRate) ? serverRate : restoreRate;
    available = Math.min(available + (requested - actual), Double.isFinite(serverAvailable) ? serverAvailable : available);
  }

  /**
   * A THROTTLED answer: the reservation was not spent, and the server's figure is the truth. The
   * retry's own {@link #tryReserve} then waits (requested − available) / restoreRate.
   */
  synchronized void throttled(double requested, double serverAvailable, double serverRate) {
    refill();
    known = true;
    restoreRate = sane(serverRate) ? serverRate : restoreRate;
    available = Math.min(available + requested, Double.isFinite(serverAvailable) ? serverAvailable : available);
  }

  /** A request that got no figures back (a failure): let the next one probe. */
  synchronized void unanswered() {
    probing = false;
  }

  synchronized double available() {
    refill();
    return available;
  }

  /**
   * A figure the arithmetic can divide by: a restore rate or maximum of 0, negative or not finite
   * would make every wait endless (or none), so the last sane estimate stays.
   */
  private static boolean sane(double figure) {
    return figure > 0 && Double.isFinite(figure);
  }

  private void refill() {
    long now = clock.nanoTime();
    available = Math.min(maximum, available + (now - asOfNanos) / 1e9 * restoreRate);
    asOfNanos = now;
  }
}
