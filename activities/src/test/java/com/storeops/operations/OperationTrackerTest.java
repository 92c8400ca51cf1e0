package com.storeops.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OperationTrackerTest {

  private final OperationTracker tracker =
      new OperationTracker(new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));

  @Test
  void logsTheSeedsStartedAndCompletedLinesWithTheActiveCount(CapturedOutput output) {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();

    tracker.track(a, "outer", () -> tracker.track(b, "inner", () -> assertThat(tracker.activeOperations()).isEqualTo(2)));

    assertThat(output).contains("Operation " + a + " started - Active operations: 1 (outer)");
    assertThat(output).contains("Operation " + b + " started - Active operations: 2 (inner)");
    assertThat(output).contains("Operation " + b + " completed - Active operations: 1 (inner)");
    assertThat(output).contains("Operation " + a + " completed - Active operations: 0 (outer)");
  }

  @Test
  void operationIdIsInTheMdcOnlyWhileTheWorkRuns() {
    UUID id = UUID.randomUUID();

    tracker.track(id, "step", () -> {
      assertThat(MDC.get(OperationTracker.MDC_KEY)).isEqualTo(id.toString());
      assertThat(OperationContext.current()).isEqualTo(id);
    });

    assertThat(MDC.get(OperationTracker.MDC_KEY)).isNull();
    assertThat(OperationContext.current()).isNull();
  }

  @Test
  void failedWorkIsLoggedAsFailedAndLeavesNoActiveOperationBehind(CapturedOutput output) {
    UUID id = UUID.randomUUID();

    assertThatThrownBy(() -> tracker.track(id, "step", () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(output).contains("Operation " + id + " failed - Active operations: 0 (step)");
    assertThat(tracker.activeOperations()).isZero();
    assertThat(OperationContext.current()).isNull();
  }
}
