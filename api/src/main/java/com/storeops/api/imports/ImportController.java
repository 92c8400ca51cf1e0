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
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a CSV import: records the operation, stages the file in PostgreSQL (so a worker in another
 * container can read it), then starts the workflow. Answers 202 with the operation. The file comes
 * as a multipart form's field (Tomcat parses and spools it first) or as the whole text/csv body,
 * staged as it arrives: no parsing, no temporary file — what scripts uploading large files want.
 */
@ApiRole
@RestController
class ImportController {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");
  private static final int MAX_NAME = 255;

  private final Operations operations;
  private final OperationViews views;
  private final ImportUploads uploads;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;
  private final DataSize maxUpload;

  ImportController(Operations operations, OperationViews views, ImportUploads uploads, OperationStarter starter,
      IdempotentStarts idempotent, @Value("${spring.servlet.multipart.max-file-size}") DataSize maxUpload) {
    this.idempotent = idempotent;
    this.maxUpload = maxUpload;
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
  @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The Shopify product CSV: a multipart form's field "
      + "'file' (a browser, curl -F), or the whole body as text/csv (curl --data-binary @file.csv, named by the fileName parameter)", content = {
      @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(type = "object", requiredProperties = "file"),
          schemaProperties = @SchemaProperty(name = "file", schema = @Schema(type = "string", format = "binary"))),
      @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary"))})
  ResponseEntity<?> start(
      @Parameter(hidden = true) @RequestParam(name = "file", required = false) MultipartFile file,
      @Parameter(description = "The file's name, for a text/csv body (a form's file carries its own)")
      @RequestParam(name = "fileName", required = false) String fileName,
      @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey,
      HttpServletRequest request) {
    if (isCsvBody(request)) {
      String name = fileName == null || fileName.isBlank() ? "upload.csv" : fileName;
      if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidFieldException("fileName", "at most " + MAX_NAME + " characters, none of them a control character");
      }
      long length = request.getContentLengthLong(); // -1: chunked, counted as it is staged
      if (length == 0) {
        throw new InvalidFieldException("file", "a non-empty CSV body is required");
      }
      if (length > maxUpload.toBytes()) {
        throw new MaxUploadSizeExceededException(maxUpload.toBytes());
      }
      return idempotent.once(idempotencyKey, "import", name + "\u0000" + length,
          () -> stageAndStart(name, length, () -> new Capped(request.getInputStream(), maxUpload.toBytes())));
    }
    if (file == null || file.isEmpty()) {
      throw new InvalidFieldException("file", "a non-empty CSV file is required (multipart field 'file', or a text/csv body)");
    }
    String name = file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename();
    return idempotent.once(idempotencyKey, "import", name + "\u0000" + file.getSize(),
        () -> stageAndStart(name, file.getSize(), file::getInputStream));
  }

  private static boolean isCsvBody(HttpServletRequest request) {
    try {
      return request.getContentType() != null && MediaType.parseMediaType(request.getContentType()).isCompatibleWith(TEXT_CSV);
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  /** Where the file's bytes come from: a multipart part Tomcat spooled, or the request body itself. */
  private interface Upload {
    InputStream open() throws IOException;
  }

  private ResponseEntity<OperationView> stageAndStart(String name, long bytes, Upload upload) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("fileName", name);
    if (bytes >= 0) {
      parameters.put("bytes", bytes);
    }
    Operation operation = starter.record(OperationType.IMPORT, name, new JsonDocument(JSON.writeValueAsString(parameters)));
    UUID id = operation.id();
    try (InputStream in = upload.open()) {
      long staged = uploads.stage(id, in);
      if (staged == 0) {
        abandon(id, "the upload was empty");
        throw new InvalidFieldException("file", "a non-empty CSV body is required");
      }
    } catch (Capped.TooLarge e) {
      abandon(id, "the upload is larger than STOREOPS_MAX_UPLOAD (" + maxUpload + ")");
      throw new MaxUploadSizeExceededException(maxUpload.toBytes());
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

  /** A body of unstated length, refused once it passes the upload limit. */
  private static final class Capped extends FilterInputStream {
    static final class TooLarge extends IOException {}

    private final long max;
    private long read;

    Capped(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(n);
      return n;
    }

    private void count(int n) throws TooLarge {
      if (n > 0 && (read += n) > max) {
        throw new TooLarge();
      }
    }
  }
}
