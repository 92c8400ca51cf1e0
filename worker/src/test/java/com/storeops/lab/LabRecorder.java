package com.storeops.lab;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** What the lab's activities saw: concurrency, completions per queue, schedule-to-start latency. */
public final class LabRecorder {

  public record Completion(String queue, long startedAtMillis, long finishedAtMillis, long scheduleToStartMillis) {}

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  void started() {
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
  }

  void finished(Completion completion) {
    running.decrementAndGet();
    completions.add(completion);
  }

  void failed(String queue) {
    running.decrementAndGet();
    failures.computeIfAbsent(queue, q -> new AtomicInteger()).incrementAndGet();
  }

  public int maxRunning() {
    return maxRunning.get();
  }

  public List<Completion> completions() {
    return List.copyOf(completions);
  }

  public int failures() {
    return failures.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
