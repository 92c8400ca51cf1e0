package com.storeops.imports;

/** A problem with the whole file (empty, not CSV, required columns missing): nothing is imported. */
public class ImportFileException extends RuntimeException {

  public ImportFileException(String message) {
    super(message);
  }
}
