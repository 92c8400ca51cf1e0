package com.storeops.api.operations;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.NotFoundException;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.operations.Operation;
import com.storeops.operations.Operations;
import com.storeops.operations.Operations.ListKey;
import com.storeops.operations.Operations.RecordedError;
import io.swagger.v3.oas.annotations.media.Schema;
import io.temporal.client.WorkflowClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import com.storeops.operations.OperationReconciler;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import io.temporal.client.WorkflowNotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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

  private final Operations operations;
  private final OperationViews views;
  private final WorkflowClient temporal;
  private final OperationReconciler reconciler;

  OperationsController(Operations operations, OperationViews views, WorkflowClient temporal, OperationReconciler reconciler) {
    this.operations = operations;
    this.views = views;
    this.temporal = temporal;
    this.reconciler = reconciler;
  }

  /** A page of operations, newest first; {@code nextCursor} fetches the next page (null on the last). */
  record OperationPage(List<OperationView> operations, @Schema(types = {"string", "null"}) String nextCursor) {}

  @GetMapping
  OperationPage list(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) String cursor) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidFieldException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    OperationType typeFilter = type == null ? null : parseType(type);
    OperationStatus statusFilter = status == null ? null : parseStatus(status);
    ListKey after = cursor == null ? null : OperationCursor.parse(cursor).key();
    // One more than asked for: whether it exists says whether there is a next page.
    List<Operation> found = operations.list(typeFilter, statusFilter, after, limit + 1);
    List<Operation> page = found.subList(0, Math.min(limit, found.size()));
    String next = found.size() > limit ? OperationCursor.after(page.get(page.size() - 1)).encode() : null;
    return new OperationPage(page.stream().map(views::of).toList(), next);
  }

  @GetMapping("/{id}")
  OperationView show(@PathVariable UUID id) {
    return operations.find(id).map(views::of).orElseThrow(() -> new NotFoundException("operation", id));
  }

  /**
   * Asks the operation's workflow to stop. Long operations stop at their next checkpoint (an import
   * at a chunk boundary; committed chunks stay) and end CANCELED.
   */
  @PostMapping("/{id}/cancel")
  ResponseEntity<OperationView> cancel(@PathVariable UUID id) {
    Operation op = operations.find(id).orElseThrow(() -> new NotFoundException("operation", id));
    if (op.status().isFinal()) {
      // with its reason, if it has one: the periodic reconcile may have settled a gone workflow's row just before
      throw new ConflictException("operation " + id + " has already ended (" + op.status().name()
          + (op.error() == null ? "" : ": " + op.error()) + ")");
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
    return ResponseEntity.accepted().body(views.of(op));
  }

  /**
   * Item-level errors as CSV (location, field, value, message), in the order they were found. Values
   * come from uploaded files and Shopify, so each cell is made safe for spreadsheets ({@link CsvCells}).
   */
  @GetMapping(value = "/{id}/errors", produces = "text/csv")
  void errors(@PathVariable UUID id, HttpServletResponse response) throws IOException {
    if (!operations.exists(id)) {
      throw new NotFoundException("operation", id);
    }
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"errors-" + id + ".csv\"");
    try (CSVPrinter csv = new CSVPrinter(response.getWriter(), CSVFormat.RFC4180)) {
      csv.printRecord("location", "field", "value", "message");
      // Page by id and write each page after its query returned: a slow client never pins a
      // connection, and memory holds one page whatever the number of errors.
      long after = 0;
      for (List<RecordedError> page = operations.errors(id, after, ERRORS_PAGE); !page.isEmpty();
          page = operations.errors(id, after, ERRORS_PAGE)) {
        for (RecordedError e : page) {
          csv.printRecord(CsvCells.text(e.error().location()), CsvCells.text(e.error().field()),
              CsvCells.text(e.error().value()), CsvCells.text(e.error().message()));
        }
        after = page.get(page.size() - 1).id();
      }
    }
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
