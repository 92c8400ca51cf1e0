package com.storeops.api.imports;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationType;
import com.storeops.common.TaskQueue;
import com.storeops.imports.ImportRequest;
import com.storeops.imports.ImportUploads;
import com.storeops.imports.ImportWorkflow;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationRepository;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
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

  private final OperationRepository operations;
  private final OperationViews views;
  private final ImportUploads uploads;
  private final WorkflowClient temporal;

  ImportController(OperationRepository operations, OperationViews views, ImportUploads uploads, WorkflowClient temporal) {
    this.operations = operations;
    this.views = views;
    this.uploads = uploads;
    this.temporal = temporal;
  }

  /** An operation that never reached its workflow: mark it failed and drop what was staged. */
  private void abandon(UUID id, String reason) {
    operations.findById(id).ifPresent(op -> operations.save(op.failed(reason, Instant.now())));
    uploads.delete(id);
  }

  @PostMapping("/api/operations/import")
  ResponseEntity<OperationView> start(@RequestParam(name = "file", required = false) MultipartFile file) throws IOException {
    if (file == null || file.isEmpty()) {
      throw new InvalidFieldException("file", "a non-empty CSV file is required (multipart field 'file')");
    }
    UUID id = UUID.randomUUID();
    String workflowId = "import-" + id;
    String name = file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename();
    JsonDocument parameters = new JsonDocument(JSON.writeValueAsString(Map.of("fileName", name, "bytes", file.getSize())));
    Operation operation = operations.save(Operation.pending(id, OperationType.IMPORT, workflowId, parameters, Instant.now()));
    try (InputStream in = file.getInputStream()) {
      uploads.stage(id, in);
    } catch (IOException e) {
      abandon(id, "the upload was interrupted");
      throw new InvalidFieldException("file", "the upload was interrupted; nothing was imported");
    }
    ImportWorkflow workflow = temporal.newWorkflowStub(ImportWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TaskQueue.IMPORT.queueName())
        .setWorkflowId(workflowId)
        .setPriority(Priority.newBuilder().setPriorityKey(TaskQueue.IMPORT.priorityKey()).build())
        .setStaticSummary("Import " + name)
        .build());
    try {
      WorkflowClient.start(workflow::importFile, new ImportRequest(id, name));
    } catch (RuntimeException e) {
      abandon(id, "could not start the import workflow: Temporal is unreachable");
      throw e;
    }
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + id)).body(views.of(operation));
  }
}
