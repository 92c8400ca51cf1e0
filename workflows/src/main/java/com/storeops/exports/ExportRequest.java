package com.storeops.exports;

import java.util.UUID;

/** Which operation, and the header generation to write: "legacy" or "current". */
public record ExportRequest(UUID operationId, String generation) {}
