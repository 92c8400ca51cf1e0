package com.storeops.bench;

import java.util.ArrayList;
import java.util.List;

/** Percentiles of a sample, for printing. */
record Stats(int count, long p50, long p99, long max) {

  static Stats of(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    if (sorted.isEmpty()) {
      return new Stats(0, 0, 0, 0);
    }
    return new Stats(sorted.size(), at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1));
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * q) - 1));
  }

  @Override
  public String toString() {
    return String.format("n=%d p50=%d ms p99=%d ms max=%d ms", count, p50, p99, max);
  }
}
