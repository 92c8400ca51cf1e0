package com.storeops.imports;

import java.io.IOException;
import java.io.Reader;

/**
 * Bounds one CSV record in characters. The CSV parser holds a record until it ends, and a quote that
 * is never closed makes the rest of the file one record; this reader follows the file's quoting as
 * the parser pulls characters and refuses the file, naming the line where the quote opened, once a
 * record passes {@code maxRecordChars}. It reads quotes as RFC 4180 and the parser do: a quote opens
 * a quoted field only as the field's first character, and {@code ""} inside one is a quote. Lines
 * are counted as the reader counts them: CR, LF and CRLF each end one.
 */
final class RecordGuard extends Reader {

  private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

  private final Reader in;
  private final long maxRecordChars;
  private State state = State.FIELD_START;
  private long line;
  private boolean afterCr;
  private long recordLine;
  private long quoteLine;
  private long recordChars;

  /** @param firstLine the line of the first character {@code in} gives */
  RecordGuard(Reader in, long firstLine, long maxRecordChars) {
    this.in = in;
    this.line = firstLine;
    this.recordLine = firstLine;
    this.maxRecordChars = maxRecordChars;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n < 0 && state == State.QUOTED) {
      throw new ImportFileException("not a readable CSV: the quote opened on line " + quoteLine
          + " is never closed (a \" inside a cell is written \"\")");
    }
    for (int i = offset; i < offset + n; i++) {
      follow(buffer[i]);
    }
    return n;
  }

  private void follow(char c) {
    if (++recordChars > maxRecordChars) {
      throw new ImportFileException(state == State.QUOTED
          ? "not a readable CSV: the quote opened on line " + quoteLine + " is not closed within " + maxRecordChars
              + " characters (STOREOPS_IMPORT_MAX_PRODUCT_CHARS); a \" inside a cell is written \"\""
          : "not a readable CSV: the row starting on line " + recordLine + " is longer than " + maxRecordChars
              + " characters (STOREOPS_IMPORT_MAX_PRODUCT_CHARS)");
    }
    long at = line;
    if (c == '\r' || c == '\n' && !afterCr) {
      line++;
    }
    afterCr = c == '\r';
    if (state == State.QUOTED) {
      if (c == '"') {
        state = State.QUOTE_IN_QUOTED;
      }
    } else if (state == State.QUOTE_IN_QUOTED && c == '"') {
      state = State.QUOTED; // "" inside a quoted field
    } else if (c == '\r' || c == '\n') {
      state = State.FIELD_START;
      recordChars = 0;
      recordLine = line;
    } else if (c == ',') {
      state = State.FIELD_START;
    } else if (c == '"' && state == State.FIELD_START) {
      state = State.QUOTED;
      quoteLine = at;
    } else {
      state = State.UNQUOTED;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
