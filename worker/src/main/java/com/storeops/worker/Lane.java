package com.storeops.worker;

import com.storeops.common.TaskQueue;
import io.temporal.worker.tuning.SlotPermit;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One queue's part of the shared budget: its weight and cap, the reservations its pollers wait on,
 * and the permits granted to it. Not thread-safe: the budget's one lock guards every field and
 * every call, so the counts of all queues are read and changed together.
 */
final class Lane {

  /** What a queue's last poll brought: nothing yet (none came back), a task, or nothing (idle). */
  enum LastPoll { NONE, WORK, EMPTY }

  final TaskQueue queue;
  final int weight;
  final int cap;
  private final ArrayDeque<Reservation> waiting = new ArrayDeque<>();
  // Permits granted and not yet released, by identity — used, or unused since their grant (their
  // poller out): only these may be released or marked used, so a repeated or foreign release can
  // never drive the counts below what was granted.
  private final Set<SlotPermit> used = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<SlotPermit, Long> unusedSince = new IdentityHashMap<>();
  /** Whether a poller of this queue ever asked: the SDK starts none for a queue without activities. */
  private boolean polled;
  private LastPoll lastPoll = LastPoll.NONE;
  private int held;
  private int running;
  private long grants;

  Lane(TaskQueue queue, int weight, int cap) {
    this.queue = queue;
    this.weight = weight;
    this.cap = cap;
  }

  void ask(Reservation r) {
    polled = true;
    waiting.add(r);
  }

  /** The longest-waiting reservation, taken to be granted; there is one ({@link #isWaiting}). */
  Reservation take() {
    return waiting.remove();
  }

  /** Takes back a reservation still waiting; false if it was granted already. */
  boolean withdraw(Reservation r) {
    return waiting.remove(r);
  }

  boolean isWaiting() {
    return !waiting.isEmpty();
  }

  /** When the longest-waiting reservation asked; there is one ({@link #isWaiting}). */
  long waitingSince() {
    return waiting.element().since;
  }

  boolean polled() {
    return polled;
  }

  LastPoll lastPoll() {
    return lastPoll;
  }

  int held() {
    return held;
  }

  int running() {
    return running;
  }

  /** Its poller holds the permit, unused, from {@code now} until a task comes (marked used) or none (released). */
  void grant(SlotPermit permit, long now) {
    unusedSince.put(permit, now);
    held++;
    grants++;
  }

  /** @return false if the permit was not granted here or is already used: nothing changes */
  boolean markUsed(SlotPermit permit) {
    if (unusedSince.remove(permit) == null) {
      return false;
    }
    used.add(permit);
    running++;
    lastPoll = LastPoll.WORK;
    return true;
  }

  /** @return false if the permit was not granted here or is already released: nothing changes */
  boolean release(SlotPermit permit) {
    if (used.remove(permit)) {
      running--;
    } else if (unusedSince.remove(permit) != null) {
      lastPoll = LastPoll.EMPTY; // an empty poll (or an aborted reservation) gave the permit back unused
    } else {
      return false;
    }
    held--;
    return true;
  }

  /**
   * The permits this queue's pollers out for less than {@code within} will ask for the moment
   * their polls bring tasks: one per poller holding a permit not yet used, up to the cap — if its
   * last poll brought work.
   */
  int asksOnReturn(long now, long within) {
    if (lastPoll != LastPoll.WORK) {
      return 0;
    }
    int out = (int) unusedSince.values().stream().filter(since -> now - since < within).count();
    return Math.min(out, cap - held);
  }

  /** When the first of its pollers out for less than {@code within} went out: the first of those claims to run out. */
  long firstOut(long now, long within) {
    return unusedSince.values().stream().filter(since -> now - since < within).mapToLong(Long::longValue).min().orElseThrow();
  }

  /** held / weight < other.held / other.weight, without division. */
  boolean fewerForItsWeight(Lane other) {
    return (long) held * other.weight < (long) other.held * weight;
  }

  SharedActivityBudget.QueueUse use() {
    return new SharedActivityBudget.QueueUse(queue, weight, cap, held, running, waiting.size(), grants);
  }
}
