package com.storeops.imports;

import java.io.IOException;
import java.io.Reader;

/**
 * At most {@code limit} characters of another reader, which it never reads past and never closes:
 * a CSV parser over it stops at a chunk's end, leaving the file positioned at the next chunk.
 */
final class BoundedReader extends Reader {

  private final Reader in;
  private long left;

  BoundedReader(Reader in, long limit) {
    this.in = in;
    this.left = limit;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  /** Reads what the parser left, so that the underlying reader stands exactly at the limit. */
  void drain() throws IOException {
    char[] buffer = new char[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // discard
    }
  }

  /** Skips exactly {@code count} characters of {@code in} (Reader.skip may skip fewer). */
  static void skip(Reader in, long count) throws IOException {
    new BoundedReader(in, count).drain();
  }

  @Override
  public void close() {
    // the underlying reader belongs to the caller
  }
}
