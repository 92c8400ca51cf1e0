package com.storeops.db;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A file stored as numbered parts (bytea rows 0, 1, 2, …), read as one stream: each part is fetched
 * when the reader reaches it, so memory holds one part whatever the file's size, and no connection
 * is held between reads. Uploads and exports are stored this way.
 */
public final class PartStream extends InputStream {

  private final IntFunction<Optional<byte[]>> part;
  private byte[] current = new byte[0];
  private int position;
  private int nextPart;
  private boolean ended;

  /** {@code part} fetches part {@code n}, empty past the last one. */
  public PartStream(IntFunction<Optional<byte[]>> part) {
    this.part = part;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (position >= current.length) {
      Optional<byte[]> next = ended ? Optional.empty() : part.apply(nextPart);
      if (next.isEmpty()) {
        ended = true;
        return -1;
      }
      current = next.get();
      position = 0;
      nextPart++;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }
}
