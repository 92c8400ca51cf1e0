package com.storeops.api.exports;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.ConflictException;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.NotFoundException;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.exports.ExportFiles;
import com.storeops.exports.ExportRequest;
import com.storeops.exports.ExportWorkflow;
import com.storeops.imports.ShopifyColumn.Generation;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationStarter;
import com.storeops.operations.Operations;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a catalogue export ({@code POST /api/exports?generation=legacy|current}, 202 with the
 * operation) and serves its file once it has COMPLETED ({@code GET /api/exports/{id}/file}).
 */
@ApiRole
@RestController
class ExportController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Operations operations;
  private final OperationViews views;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;
  private final ExportFiles files;

  ExportController(Operations operations, OperationViews views, OperationStarter starter, IdempotentStarts idempotent,
      ExportFiles files) {
    this.operations = operations;
    this.views = views;
    this.starter = starter;
    this.idempotent = idempotent;
    this.files = files;
  }

  @PostMapping("/api/exports")
  ResponseEntity<?> start(@RequestParam(name = "generation", defaultValue = "legacy") String generation,
      @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    String g;
    try {
      g = Generation.of(generation).name().toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("generation", e.getMessage());
    }
    return idempotent.once(idempotencyKey, "export", g, () -> launch(g));
  }

  private ResponseEntity<OperationView> launch(String generation) {
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("generation", generation)));
    Operation operation = starter.record(OperationType.EXPORT, "products-" + generation, parameters);
    UUID id = operation.id();
    starter.launch(operation, ExportWorkflow.class, "Export the catalogue (" + generation + " headers)",
        workflow -> workflow.exportCatalog(new ExportRequest(id, generation)));
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + id)).body(views.of(operation));
  }

  /** The written CSV, streamed part by part from PostgreSQL. */
  @GetMapping("/api/exports/{id}/file")
  void file(@PathVariable UUID id, HttpServletResponse response) throws IOException {
    Operation op = operations.find(id).filter(o -> o.type() == OperationType.EXPORT)
        .orElseThrow(() -> new NotFoundException("export", id));
    if (op.status() != OperationStatus.COMPLETED) {
      throw new ConflictException("export " + id + " is " + op.status().name() + "; its file is ready once it has COMPLETED");
    }
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"products-" + id + ".csv\"");
    try (InputStream in = files.open(id)) {
      in.transferTo(response.getOutputStream());
    }
  }
}
