package com.storeops.operations;

import com.storeops.config.InvalidSettingException;
import com.storeops.worker.Roles;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Makes the {@code operations} table agree with Temporal: an operation still PENDING or RUNNING
 * whose workflow no longer runs — terminated from the Web UI, timed out, lost with an in-memory
 * server, never started after a crash between the row and the start — ends FAILED with that reason.
 * Every end is conditional ({@link Operations#failIfActive}), so an outcome the workflow recorded
 * meanwhile stays, and several processes reconciling at once do no harm.
 *
 * <p>The api role checks every active operation at startup and then every
 * STOREOPS_RECONCILE_INTERVAL: its connections are not promised to activities (a worker-only
 * process keeps one back, for health checks), and compose runs one api beside several workers.
 * Both roles settle single operations on demand — a sync about to start, a cancel.
 */
@Component
@EnableConfigurationProperties(OperationReconciler.ReconcileSettings.class)
public class OperationReconciler implements SmartLifecycle {

  /**
   * @param interval STOREOPS_RECONCILE_INTERVAL: how often the api role checks active operations
   *     against Temporal
   */
  @ConfigurationProperties("storeops.reconcile")
  public record ReconcileSettings(Duration interval) {
    public ReconcileSettings {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new InvalidSettingException("STOREOPS_RECONCILE_INTERVAL", "must be a duration above 0, e.g. 1m");
      }
    }
  }

  /**
   * How long a row may be PENDING with no workflow yet: a start is one RPC (10 s deadline), so a
   * younger row's start may still be in flight. Older than this, a missing workflow is gone.
   */
  public static final Duration START_GRACE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(OperationReconciler.class);

  private final Operations operations;
  private final WorkflowClient temporal;
  private final Roles roles;
  private final Duration interval;
  private volatile ScheduledExecutorService schedule;

  public OperationReconciler(Operations operations, WorkflowClient temporal, Roles roles, ReconcileSettings settings) {
    this.operations = operations;
    this.temporal = temporal;
    this.roles = roles;
    this.interval = settings.interval();
  }

  /** Checks every active operation older than {@link #START_GRACE}; returns how many it ended. */
  public int reconcile() {
    int ended = 0;
    for (Operations.ActiveOperation op : operations.active(START_GRACE)) {
      Optional<String> reason = whyNotRunning(op.workflowId(), false);
      if (reason.isPresent() && fail(op.id(), reason.get())) {
        ended++;
      }
    }
    return ended;
  }

  /**
   * Why {@code op} can no longer run — its row then says so (FAILED with that reason, or the
   * outcome its workflow recorded meanwhile); empty while its workflow runs or may still start.
   */
  public Optional<String> settle(Operation op) {
    boolean startMayBeInFlight = op.updatedAt() == null || op.updatedAt().isAfter(Instant.now().minus(START_GRACE));
    Optional<String> reason = whyNotRunning(op.workflowId(), startMayBeInFlight);
    if (reason.isEmpty() || fail(op.id(), reason.get())) {
      return reason;
    }
    return operations.find(op.id()).map(now -> "it has already ended (" + now.status().name() + ")");
  }

  private Optional<String> whyNotRunning(String workflowId, boolean startMayBeInFlight) {
    WorkflowExecutionStatus status;
    try {
      status = temporal.newUntypedWorkflowStub(workflowId).describe().getStatus();
    } catch (WorkflowNotFoundException e) {
      return startMayBeInFlight ? Optional.empty() : Optional.of("its workflow no longer exists on the Temporal server");
    }
    return Optional.ofNullable(switch (status) {
      case WORKFLOW_EXECUTION_STATUS_TERMINATED -> "its workflow was terminated in Temporal";
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> "its workflow timed out in Temporal";
      // A workflow records its outcome before it closes: closed with the row still active means it never did.
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "its workflow completed in Temporal without recording an outcome";
      case WORKFLOW_EXECUTION_STATUS_FAILED -> "its workflow failed in Temporal without recording an outcome";
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> "its workflow was canceled in Temporal without recording an outcome";
      default -> null; // running, or a status this SDK does not know: leave it
    });
  }

  private boolean fail(UUID id, String reason) {
    boolean ended = operations.failIfActive(id, reason);
    if (ended) {
      log.warn("Operation {} is FAILED: {}", id, reason);
    }
    return ended;
  }

  private void reconcileLogged() {
    try {
      int ended = reconcile();
      if (ended > 0) {
        log.info("Reconciled with Temporal: {} operation(s) whose workflow no longer runs are FAILED", ended);
      }
    } catch (RuntimeException e) {
      // Temporal or the database is unreachable: the next round tries again.
      log.warn("Could not reconcile operations with Temporal now: {}", e.getMessage());
    }
  }

  @Override
  public void start() {
    if (roles.api()) {
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "operation-reconciler");
        thread.setDaemon(true);
        return thread;
      });
      executor.scheduleWithFixedDelay(this::reconcileLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
      schedule = executor;
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService executor = schedule;
    schedule = null;
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }
}
