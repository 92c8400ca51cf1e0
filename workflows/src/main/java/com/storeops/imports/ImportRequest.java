package com.storeops.imports;

import java.util.UUID;

/** Which staged upload to import; the file itself stays in PostgreSQL, never in the history. */
public record ImportRequest(UUID operationId, String fileName) {}
