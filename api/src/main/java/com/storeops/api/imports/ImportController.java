package com.storeops.api.imports;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import com.storeops.imports.ImportRequest;
import com.storeops.imports.ImportUploads;
import com.storeops.imports.ImportWorkflow;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationStarter;
import com.storeops.operations.Operations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a CSV import: records the operation, stages the file in PostgreSQL (so a worker in another
 * container can read it), then starts the workflow. Answers 202 with the operation.
 */
@ApiRole
@RestController
class ImportController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Operations operations;
  private final OperationViews views;
  private final ImportUploads uploads;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;

  ImportController(Operations operations, OperationViews views, ImportUploads uploads, OperationStarter starter,
      IdempotentStarts idempotent) {
    this.idempotent = idempotent;
    this.operations = operations;
    this.views = views;
    this.uploads = uploads;
    this.starter = starter;
  }

  /** An operation that never reached its workflow: mark it failed and drop what was staged. */
  private void abandon(UUID id, String reason) {
    operations.finish(id, OperationStatus.FAILED, reason);
    uploads.delete(id);
  }

  @PostMapping("/api/operations/import")
  ResponseEntity<?> start(@RequestParam(name = "file", required = false) MultipartFile file, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    if (file == null || file.isEmpty()) {
      throw new InvalidFieldException("file", "a non-empty CSV file is required (multipart field 'file')");
    }
    String name = file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename();
    return idempotent.once(idempotencyKey, "import", name + "\u0000" + file.getSize(), () -> stageAndStart(file, name));
  }

  private ResponseEntity<OperationView> stageAndStart(MultipartFile file, String name) {
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("fileName", name, "bytes", file.getSize())));
    Operation operation = starter.record(OperationType.IMPORT, name, parameters);
    UUID id = operation.id();
    try (InputStream in = file.getInputStream()) {
      uploads.stage(id, in);
    } catch (IOException e) {
      abandon(id, "the upload was interrupted");
      throw new InvalidFieldException("file", "the upload was interrupted; nothing was imported");
    }
    try {
      starter.launch(operation, ImportWorkflow.class, "Import " + name, workflow -> workflow.importFile(new ImportRequest(id, name)));
    } catch (RuntimeException e) {
      uploads.delete(id);
      throw e;
    }
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + id)).body(views.of(operation));
  }
}
