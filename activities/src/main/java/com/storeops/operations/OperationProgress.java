package com.storeops.operations;

import com.storeops.common.OperationStatus;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The status and progress an operation's activities record on its row, each one short statement. */
@Component
public class OperationProgress {

  private final JdbcClient jdbc;

  public OperationProgress(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void running(UUID id) {
    jdbc.sql("update operations set status = 'RUNNING', started_at = coalesce(started_at, now()), updated_at = now() where id = ?")
        .param(id).update();
  }

  public void total(UUID id, long items) {
    jdbc.sql("update operations set items_total = ?, updated_at = now() where id = ?").param(items).param(id).update();
  }

  /**
   * {@code status}: COMPLETED, FAILED or CANCELED; {@code error} only for FAILED. Workflows started
   * before the spelling changed still send CANCELLED, so it is read as CANCELED.
   */
  public void finished(UUID id, String status, String error) {
    String stored = "CANCELLED".equals(status) ? OperationStatus.CANCELED.name() : OperationStatus.valueOf(status).name();
    jdbc.sql("update operations set status = ?, error = ?, finished_at = now(), updated_at = now() where id = ?")
        .param(stored).param(error).param(id).update();
  }
}
