package com.storeops.imports;

/**
 * A completed import; a refused file or a failed load ends the workflow Failed instead.
 *
 * @param imported products written
 * @param skipped products refused for row errors
 */
public record ImportResult(long imported, long skipped) {}
