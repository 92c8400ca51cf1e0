package com.storeops.imports;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * RFC 4180 records read straight from the file's characters, as commons-csv's {@code RFC4180} format
 * reads them (comma, double quote, {@code ""} inside quotes, CR, LF or CRLF between records,
 * whitespace allowed after a closing quote; {@code CsvRecordsTest} compares the two on generated
 * input). It bounds a record: the file is refused once a record passes {@code maxRecordChars} —
 * almost always a quote never closed, which would make the rest of the file one record — naming
 * the line the quote opened on.
 *
 * <p>Written for the import's two passes over a file: the scan keeps only the columns it asks for
 * ({@link #keepOnly}) and builds no text for the others, and every value is read in one loop over a
 * buffer, without a reader stacked per concern. Lines are counted as the importer reports them: CR,
 * LF and CRLF each end one.
 */
final class CsvRecords {

  private static final int EOF = -1;

  private final Reader in;
  private final long maxRecordChars;
  private final char[] buffer = new char[65536];
  private int at;
  private int filled;
  private long before; // characters of the file before buffer[0]
  private long line; // the line of the next character
  private boolean afterCr;
  private boolean ended;
  private boolean[] keep; // null: every column
  private final StringBuilder value = new StringBuilder(256);

  private String[] values = new String[32];
  private int size;
  private long recordLine;
  private long recordPosition;
  private long recordStartChar;
  private long recordChars;
  private boolean suspect;

  /** @param firstLine the line of the first character {@code in} gives */
  CsvRecords(Reader in, long firstLine, long maxRecordChars) {
    this.in = in;
    this.line = firstLine;
    this.maxRecordChars = maxRecordChars;
  }

  /** From the next record on, keeps only the values of these columns; the others read as null. */
  void keepOnly(boolean[] columns) {
    this.keep = columns.clone();
  }

  /** Reads the next record; false at the end of the file. */
  boolean next() {
    if (ended) {
      return false;
    }
    size = 0;
    recordChars = 0;
    suspect = false;
    recordLine = line;
    recordPosition = before + at;
    recordStartChar = recordPosition;
    int c = read();
    if (c == EOF) {
      ended = true;
      return false;
    }
    while (true) {
      boolean kept = keep == null || size < keep.length && keep[size];
      int length = 0;
      value.setLength(0);
      if (c == '"') {
        long quoteLine = line;
        while (true) {
          c = read();
          if (c == EOF) {
            throw new ImportFileException("not a readable CSV: the quote opened on line " + quoteLine
                + " is never closed (a \" inside a cell is written \"\")");
          }
          bound(true, quoteLine);
          if (c == '"') {
            if (peek() != '"') {
              break;
            }
            read();
          }
          length++;
          if (kept) {
            value.append((char) c);
          }
          length += run('"', kept, true, quoteLine);
        }
        // after the closing quote: whitespace, then a comma, the record's end or the file's
        for (c = read(); c != ',' && c != '\r' && c != '\n' && c != EOF; c = read()) {
          bound(false, 0);
          if (!Character.isWhitespace((char) c)) {
            throw new ImportFileException("not a readable CSV: on line " + line + " a cell goes on after its closing quote"
                + " (a \" inside a cell is written \"\", and the whole cell quoted)");
          }
        }
      } else {
        for (; c != ',' && c != '\r' && c != '\n' && c != EOF; c = read()) {
          bound(false, 0);
          length++;
          if (kept) {
            value.append((char) c);
          }
          length += run(',', kept, false, 0);
        }
      }
      add(kept ? value.toString() : null, length);
      if (c == ',') {
        bound(false, 0);
        c = read();
        continue;
      }
      if (c == '\r' && peek() == '\n') {
        read();
      }
      if (c == EOF) {
        ended = true;
      }
      return true;
    }
  }

  /** The record's values, a copy: null for a column not kept. */
  String[] values() {
    return Arrays.copyOf(values, size);
  }

  /** The line the record starts on. */
  long line() {
    return recordLine;
  }

  /** Where the record starts, in characters of the reader given. */
  long position() {
    return recordPosition;
  }

  /** The record's characters, separators and quotes aside: each value's length plus one. */
  long chars() {
    return recordChars;
  }

  /** Whether a value may hold U+FFFD (a byte that was not UTF-8) or NUL, which the importer reports. */
  boolean suspect() {
    return suspect;
  }

  private void add(String text, int length) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = text;
    recordChars += length + 1;
  }

  /**
   * Takes the rest of a run of ordinary characters from the buffer at once — up to the next
   * {@code stop}, CR or LF (which {@link #read} handles), or the buffer's end — rather than one
   * {@code read()} each: most of a file's characters are such runs. Answers how many it took.
   */
  private int run(char stop, boolean kept, boolean quoted, long quoteLine) {
    int i = at;
    while (i < filled) {
      char c = buffer[i];
      if (c == stop || c == '\r' || c == '\n') {
        break;
      }
      if (c == '\uFFFD' || c == '\u0000') {
        suspect = true;
      }
      i++;
    }
    int n = i - at;
    if (n > 0) {
      if (kept) {
        value.append(buffer, at, n);
      }
      at = i;
      afterCr = false;
      bound(quoted, quoteLine);
    }
    return n;
  }

  /** Stops a record at {@code maxRecordChars}: a reader of records would otherwise hold the rest of the file. */
  private void bound(boolean quoted, long quoteLine) {
    if (before + at - recordStartChar > maxRecordChars) {
      throw new ImportFileException(quoted
          ? "not a readable CSV: the quote opened on line " + quoteLine + " is not closed within " + maxRecordChars
              + " characters (STOREOPS_IMPORT_MAX_PRODUCT_CHARS); a \" inside a cell is written \"\""
          : "not a readable CSV: the row starting on line " + recordLine + " is longer than " + maxRecordChars
              + " characters (STOREOPS_IMPORT_MAX_PRODUCT_CHARS)");
    }
  }

  private int read() {
    if (at == filled && !fill()) {
      return EOF;
    }
    char c = buffer[at++];
    if (c == '\r' || c == '\n' && !afterCr) {
      line++;
    }
    afterCr = c == '\r';
    if (c == '\uFFFD' || c == '\u0000') {
      suspect = true;
    }
    return c;
  }

  private int peek() {
    if (at == filled && !fill()) {
      return EOF;
    }
    return buffer[at];
  }

  private boolean fill() {
    try {
      before += filled;
      at = 0;
      filled = 0;
      int n;
      do {
        n = in.read(buffer, 0, buffer.length);
      } while (n == 0);
      if (n < 0) {
        return false;
      }
      filled = n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
