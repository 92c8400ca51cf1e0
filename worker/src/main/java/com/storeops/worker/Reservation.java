package com.storeops.worker;

import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * A reservation: waiting, then granted (its permit assigned under the budget's lock, completed
 * outside it) or aborted. Only a granted reservation's first abort hands a permit back; a waiting
 * one's aborts, however many, hand back nothing, for nothing was granted.
 */
final class Reservation extends SlotSupplierFuture {
  final SlotPermit permit;
  /** When its poller asked: an idle queue steps back for a while from then. */
  final long since;
  private final Lane lane;
  private final Object lock; // the budget's: it guards the lane and this reservation's state
  private boolean aborted;

  Reservation(Lane lane, Object lock, long since) {
    this.since = since;
    this.lane = lane;
    this.lock = lock;
    this.permit = new SlotPermit(lane.queue);
  }

  /**
   * Completes reservations granted under the lock; callers hold no lock, because completing a
   * future runs its dependent stages (the SDK attaches one) on the completing thread.
   */
  static void completeAll(List<Reservation> granted) {
    for (Reservation r : granted) {
      r.complete(r.permit);
    }
  }

  @Override
  public SlotPermit abortReservation() {
    boolean wasWaiting;
    synchronized (lock) {
      if (aborted) {
        return null;
      }
      aborted = true;
      wasWaiting = lane.withdraw(this);
    }
    if (wasWaiting) {
      completeExceptionally(new CancellationException("reservation aborted"));
      return null;
    }
    // Granted already (perhaps not yet completed): hand the permit back so the SDK releases it.
    complete(permit);
    return permit;
  }
}
