package com.storeops.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.function.LongConsumer;

/**
 * Reports every {@code every} characters read, with the count so far. A scan or a load reads the
 * file's characters in long stretches between two products or two chunks — a product of a million
 * rows, the other slices' chunks it skips — and it heartbeats from here, so that Temporal does not
 * take it for dead in the middle of one (the SDK throttles what it sends).
 */
final class HeartbeatingReader extends Reader {

  private final Reader in;
  private final long every;
  private final LongConsumer heartbeat;
  private long read;
  private long next;

  HeartbeatingReader(Reader in, long every, LongConsumer heartbeat) {
    this.in = in;
    this.every = every;
    this.heartbeat = heartbeat;
    this.next = every;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      read += n;
      if (read >= next) {
        next = read + every;
        heartbeat.accept(read);
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
