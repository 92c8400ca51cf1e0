package com.storeops.worker;

import com.storeops.common.TaskQueue;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The activity slots of each queue, counted: the SDK reports slot use per worker only through
 * metrics, and {@code /api/health/pool} wants "in use / max" per queue directly.
 */
public final class QueueSlots {

  private final Map<TaskQueue, Counting> suppliers = new EnumMap<>(TaskQueue.class);

  public QueueSlots(ActivityBudget budget) {
    budget.slots().forEach((queue, n) -> suppliers.put(queue, new Counting(n)));
  }

  public SlotSupplier<ActivitySlotInfo> supplier(TaskQueue queue) {
    return suppliers.get(queue);
  }

  /** Activities running on the queue now. */
  public int running(TaskQueue queue) {
    return suppliers.get(queue).running.get();
  }

  public int max(TaskQueue queue) {
    return suppliers.get(queue).max;
  }

  private static final class Counting implements SlotSupplier<ActivitySlotInfo> {
    private final FixedSizeSlotSupplier<ActivitySlotInfo> slots;
    private final int max;
    private final AtomicInteger running = new AtomicInteger();

    Counting(int max) {
      this.slots = new FixedSizeSlotSupplier<>(max);
      this.max = max;
    }

    @Override
    public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) throws Exception {
      return slots.reserveSlot(ctx);
    }

    @Override
    public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
      return slots.tryReserveSlot(ctx);
    }

    @Override
    public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> ctx) {
      running.incrementAndGet();
    }

    @Override
    public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> ctx) {
      if (ctx.getSlotInfo() != null) {
        running.decrementAndGet();
      }
      slots.releaseSlot(ctx);
    }

    @Override
    public Optional<Integer> getMaximumSlots() {
      return Optional.of(max);
    }
  }
}
