package com.storeops.api.operations;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.NotFoundException;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationReconciler;
import com.storeops.operations.OperationRepository;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lists and shows operations from the {@code operations} table, newest first. */
@ApiRole
@RestController
@RequestMapping("/api/operations")
class OperationsController {

  static final int MAX_LIMIT = 500;
  private static final int ERRORS_PAGE = 1000;

  private final OperationRepository operations;
  private final OperationViews views;
  private final JdbcClient jdbc;
  private final WorkflowClient temporal;
  private final OperationReconciler reconciler;

  OperationsController(OperationRepository operations, OperationViews views, JdbcClient jdbc, WorkflowClient temporal,
      OperationReconciler reconciler) {
    this.operations = operations;
    this.views = views;
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.reconciler = reconciler;
  }

  /** A page of operations, newest first; {@code nextCursor} fetches the next page (null on the last). */
  record OperationPage(List<OperationView> operations, String nextCursor) {}

  @GetMapping
  OperationPage list(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) String cursor) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidFieldException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    // Keyset paging on (created_at, id): a page stays correct while new operations arrive.
    StringBuilder sql = new StringBuilder("select id, created_at from operations where true");
    List<Object> params = new ArrayList<>();
    if (type != null) {
      sql.append(" and type = ?");
      params.add(parseType(type).name());
    }
    if (status != null) {
      sql.append(" and status = ?");
      params.add(parseStatus(status).name());
    }
    if (cursor != null) {
      OperationCursor after = OperationCursor.parse(cursor);
      sql.append(" and (created_at, id) < (?, ?)");
      params.add(after.createdAt());
      params.add(after.id());
    }
    sql.append(" order by created_at desc, id desc limit ?");
    params.add(limit + 1);
    List<OperationCursor> keys = jdbc.sql(sql.toString()).params(params)
        .query((rs, n) -> new OperationCursor(rs.getObject(2, OffsetDateTime.class), rs.getObject(1, UUID.class))).list();
    List<OperationCursor> page = keys.subList(0, Math.min(limit, keys.size()));
    Map<UUID, Operation> found = new HashMap<>();
    operations.findAllById(page.stream().map(OperationCursor::id).toList()).forEach(op -> found.put(op.id(), op));
    List<OperationView> views = page.stream().map(k -> found.get(k.id())).filter(Objects::nonNull).map(this::view).toList();
    return new OperationPage(views, keys.size() > limit ? page.get(page.size() - 1).encode() : null);
  }

  @GetMapping("/{id}")
  OperationView show(@PathVariable UUID id) {
    return operations.findById(id).map(this::view).orElseThrow(() -> new NotFoundException("operation", id));
  }

  /**
   * Asks the operation's workflow to stop. Long operations stop at their next checkpoint (an import
   * at a chunk boundary; committed chunks stay) and end CANCELED.
   */
  @PostMapping("/{id}/cancel")
  ResponseEntity<OperationView> cancel(@PathVariable UUID id) {
    Operation op = operations.findById(id).orElseThrow(() -> new NotFoundException("operation", id));
    if (op.status().isFinal()) {
      throw new ConflictException("operation " + id + " has already ended (" + op.status().name() + ")");
    }
    // A workflow that is gone or already closed cannot be cancelled: its row is settled, and the
    // answer says why (the test server accepts a cancel of a closed workflow without a word).
    String gone = reconciler.settle(op).orElse(null);
    if (gone == null) {
      try {
        temporal.newUntypedWorkflowStub(op.workflowId()).cancel();
      } catch (WorkflowNotFoundException e) {
        gone = reconciler.settle(op).orElse("its workflow has not started yet; try again shortly");
      }
    }
    if (gone != null) {
      throw new ConflictException("operation " + id + " cannot be cancelled: " + gone);
    }
    return ResponseEntity.accepted().body(view(op));
  }

  /** Item-level errors as CSV (location, field, value, message), in the order they were found. */
  @GetMapping(value = "/{id}/errors", produces = "text/csv")
  void errors(@PathVariable UUID id, HttpServletResponse response) throws IOException {
    if (!operations.existsById(id)) {
      throw new NotFoundException("operation", id);
    }
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"errors-" + id + ".csv\"");
    try (CSVPrinter csv = new CSVPrinter(response.getWriter(), CSVFormat.RFC4180)) {
      csv.printRecord("location", "field", "value", "message");
      // Page by id and write each page after its query returned: a slow client never pins a
      // connection, and memory holds one page whatever the number of errors.
      long after = 0;
      for (List<ErrorRow> page = errorPage(id, after); !page.isEmpty(); page = errorPage(id, after)) {
        for (ErrorRow e : page) {
          csv.printRecord(e.location(), e.field(), e.value(), e.message());
        }
        after = page.get(page.size() - 1).id();
      }
    }
  }

  private record ErrorRow(long id, String location, String field, String value, String message) {}

  private List<ErrorRow> errorPage(UUID operationId, long afterId) {
    return jdbc.sql("select id, location, field, value, message from operation_errors"
            + " where operation_id = ? and id > ? order by id limit " + ERRORS_PAGE)
        .param(operationId).param(afterId)
        .query((rs, n) -> new ErrorRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
        .list();
  }

  private OperationView view(Operation op) {
    return views.of(op);
  }

  private static OperationType parseType(String type) {
    try {
      return OperationType.ofSlug(type);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(
          "type", "must be one of " + Arrays.stream(OperationType.values()).map(OperationType::slug).collect(Collectors.joining(", ")));
    }
  }

  private static OperationStatus parseStatus(String status) {
    try {
      return OperationStatus.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(
          "status", "must be one of " + Arrays.stream(OperationStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
  }
}
