package com.storeops.imports;

/**
 * A problem with one row (or cell) of an import file. {@code line} is the file line the row starts
 * on (1 is the header); {@code column} and {@code value} are null when the whole row is at fault.
 */
public record RowError(long line, String column, String value, String message) {}
