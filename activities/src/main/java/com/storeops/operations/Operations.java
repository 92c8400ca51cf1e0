package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.common.WorkflowIds;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The only writer of {@code operations} and {@code operation_errors}. Every change is one named,
 * atomic statement, so counters written by concurrent activities never overwrite each other (a
 * loaded {@link Operation} is a read model: nothing saves it back). Methods join the caller's
 * transaction when there is one — a chunk's counts commit with the chunk's rows.
 */
@Repository
public class Operations {

  private final JdbcClient jdbc;
  private final JdbcAggregateTemplate aggregates;

  public Operations(JdbcClient jdbc, JdbcAggregateTemplate aggregates) {
    this.jdbc = jdbc;
    this.aggregates = aggregates;
  }

  /** A new PENDING operation on {@code key} (what it works on: a file, a shop, …). */
  public Operation create(OperationType type, String key, JsonDocument parameters) {
    UUID id = UUID.randomUUID();
    return aggregates.insert(Operation.pending(id, type, WorkflowIds.of(type, key, id), parameters, Instant.now()));
  }

  public Optional<Operation> find(UUID id) {
    return Optional.ofNullable(aggregates.findById(id, Operation.class));
  }

  public boolean exists(UUID id) {
    return aggregates.existsById(id, Operation.class);
  }

  /**
   * The PENDING or RUNNING operation of {@code type} whose parameters name {@code shop}: the one
   * the partial unique index {@code operations_one_sync_per_shop} allows per shop.
   */
  public Optional<UUID> findActiveOnShop(OperationType type, String shop) {
    return jdbc.sql("""
        select id from operations
        where type = ? and status in ('PENDING', 'RUNNING') and parameters ->> 'shop' = ?""")
        .param(type.name()).param(shop).query(UUID.class).optional();
  }

  /** The batch update that reverts batch update {@code id}, if one was started. */
  public Optional<UUID> findRevertOf(UUID id) {
    return jdbc.sql("select id from operations where type = 'BATCH_UPDATE' and parameters ->> 'revertOf' = ?")
        .param(id.toString()).query(UUID.class).optional();
  }

  /** The request the operation was started with, as stored (without secrets). */
  public JsonDocument parameters(UUID id) {
    return new JsonDocument(jdbc.sql("select parameters::text from operations where id = ?").param(id).query(String.class).single());
  }

  public void markRunning(UUID id) {
    jdbc.sql("""
        update operations set status = 'RUNNING', started_at = coalesce(started_at, now()), updated_at = now(), version = version + 1
        where id = ?""").param(id).update();
  }

  public void setTotal(UUID id, long items) {
    jdbc.sql("update operations set items_total = ?, updated_at = now(), version = version + 1 where id = ?")
        .param(items).param(id).update();
  }

  /** Adds to the counts, in the caller's transaction: counts commit with the work they count. */
  public void addCounts(UUID id, OperationCounts counts) {
    jdbc.sql("""
        update operations set items_done = items_done + ?, succeeded_count = succeeded_count + ?,
               failed_count = failed_count + ?, skipped_count = skipped_count + ?, updated_at = now(), version = version + 1
        where id = ?""")
        .param(counts.done()).param(counts.succeeded()).param(counts.failed()).param(counts.skipped()).param(id).update();
  }

  /** Sets the counts outright, for work that recounts its total instead of adding chunks. */
  public void setCounts(UUID id, OperationCounts counts) {
    jdbc.sql("""
        update operations set items_done = ?, succeeded_count = ?, failed_count = ?, skipped_count = ?,
               updated_at = now(), version = version + 1
        where id = ?""")
        .param(counts.done()).param(counts.succeeded()).param(counts.failed()).param(counts.skipped()).param(id).update();
  }

  /** Records item-level problems that did not stop the operation, in the caller's transaction. */
  public void addErrors(UUID id, List<OperationError> errors) {
    insertErrors(id, errors, "");
  }

  /**
   * Records those of {@code errors} not already recorded for the operation with the same location,
   * field and message, in the caller's transaction: for work a retry may repeat without a mark of
   * its own (a Shopify page read, or a push chunk sent, again after the worker died before its heartbeat).
   */
  public void addErrorsOnce(UUID id, List<OperationError> errors) {
    insertErrors(id, errors, """
        where not exists (
          select 1 from operation_errors o
          where o.operation_id = op.id and o.location = e.location
            and o.field is not distinct from e.field and o.message = e.message)""");
  }

  private void insertErrors(UUID id, List<OperationError> errors, String unlessRecorded) {
    if (errors.isEmpty()) {
      return;
    }
    jdbc.sql("""
        insert into operation_errors (operation_id, location, field, value, message)
        select op.id, e.location, e.field, e.value, e.message
        from (select cast(? as uuid) as id) op,
             unnest(cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[])) as e(location, field, value, message)
        """ + unlessRecorded)
        .param(id)
        .param(errors.stream().map(OperationError::location).toArray(String[]::new))
        .param(errors.stream().map(OperationError::field).toArray(String[]::new))
        .param(errors.stream().map(OperationError::value).toArray(String[]::new))
        .param(errors.stream().map(OperationError::message).toArray(String[]::new))
        .update();
  }

  /** Ends the operation: {@code error} only for FAILED. */
  public void finish(UUID id, OperationStatus status, String error) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException(status + " does not end an operation");
    }
    jdbc.sql("""
        update operations set status = ?, error = ?, finished_at = now(), updated_at = now(), version = version + 1
        where id = ?""").param(status.name()).param(error).param(id).update();
  }

  /** A PENDING or RUNNING operation and the workflow that should be running it. */
  public record ActiveOperation(UUID id, String workflowId) {}

  /**
   * PENDING and RUNNING operations last updated more than {@code olderThan} ago, oldest first: the
   * ones worth asking Temporal about (a younger PENDING row may have its workflow start in flight).
   */
  public List<ActiveOperation> active(Duration olderThan) {
    return jdbc.sql("""
        select id, workflow_id from operations
        where status in ('PENDING', 'RUNNING') and updated_at < now() - make_interval(secs => ?)
        order by updated_at""")
        .param(olderThan.toMillis() / 1000.0)
        .query((rs, n) -> new ActiveOperation(rs.getObject(1, UUID.class), rs.getString(2)))
        .list();
  }

  /**
   * Ends the operation FAILED for {@code reason} only while it is still PENDING or RUNNING, so it
   * never overwrites an outcome its workflow recorded meanwhile. True if this call ended it.
   */
  public boolean failIfActive(UUID id, String reason) {
    return jdbc.sql("""
        update operations set status = 'FAILED', error = ?, finished_at = now(), updated_at = now(), version = version + 1
        where id = ? and status in ('PENDING', 'RUNNING')""").param(reason).param(id).update() == 1;
  }

  /** One page of an operation's errors after error {@code afterId}, in the order they were found. */
  public List<RecordedError> errors(UUID id, long afterId, int limit) {
    return jdbc.sql("""
        select id, location, field, value, message from operation_errors
        where operation_id = ? and id > ? order by id limit ?""")
        .param(id).param(afterId).param(limit)
        .query((rs, n) -> new RecordedError(rs.getLong(1),
            new OperationError(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))))
        .list();
  }

  /** An error as stored, with the id that orders it. */
  public record RecordedError(long id, OperationError error) {}

  /** How many operations are in each (type, status), and the items they processed. */
  public record Tally(OperationType type, OperationStatus status, long operations, long items) {}

  /** One row per (type, status) that has operations: what the metrics show. */
  public List<Tally> tally() {
    return jdbc.sql("""
        select type, status, count(*) as operations, coalesce(sum(items_done), 0) as items
        from operations group by type, status""")
        .query(Tally.class).list();
  }

  /** Where a page of the listing starts: after this operation in (created_at, id) order. */
  public record ListKey(OffsetDateTime createdAt, UUID id) {}

  /**
   * Newest first, keyset-paged on (created_at, id) so a page stays correct while new operations
   * arrive. A null filter matches all; returns at most {@code limit} operations.
   */
  public List<Operation> list(OperationType type, OperationStatus status, ListKey after, int limit) {
    List<UUID> ids = jdbc.sql("""
        select id from operations
        where (cast(:type as text) is null or type = :type)
          and (cast(:status as text) is null or status = :status)
          and (cast(:afterAt as timestamptz) is null or (created_at, id) < (:afterAt, :afterId))
        order by created_at desc, id desc
        limit :limit""")
        .param("type", type == null ? null : type.name())
        .param("status", status == null ? null : status.name())
        .param("afterAt", after == null ? null : after.createdAt())
        .param("afterId", after == null ? null : after.id())
        .param("limit", limit)
        .query(UUID.class).list();
    Map<UUID, Operation> found = new HashMap<>();
    aggregates.findAllById(ids, Operation.class).forEach(op -> found.put(op.id(), op));
    return ids.stream().map(found::get).filter(Objects::nonNull).toList();
  }
}
