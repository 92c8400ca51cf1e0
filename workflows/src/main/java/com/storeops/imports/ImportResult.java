package com.storeops.imports;

/**
 * @param status COMPLETED, FAILED or CANCELED
 * @param imported products written
 * @param skipped products refused for row errors
 * @param error the file-level problem, when the import failed
 */
public record ImportResult(String status, long imported, long skipped, String error) {}
