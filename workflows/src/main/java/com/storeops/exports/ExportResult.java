package com.storeops.exports;

/** A completed export: products written, CSV rows (without the header) and the file's size. */
public record ExportResult(long products, long rows, long bytes) {}
