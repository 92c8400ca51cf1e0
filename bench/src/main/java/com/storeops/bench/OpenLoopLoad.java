package com.storeops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * An open-loop HTTP/1.1 load generator in the manner of wrk2: requests are due at a fixed rate
 * whatever the answers, each goes out on the first free one of a fixed set of keep-alive
 * connections (as behind a reverse proxy), and its latency counts from the moment it was due — a
 * stall shows as latency of every request due during it, and is never hidden by sending less.
 *
 * <p>One thread and one selector: the generator shares the machine with what it measures, so it
 * spends as little CPU as it can (no per-request objects beyond the request's bytes, no callback
 * executors). A request due while every connection is busy waits in the generator, its clock
 * running.
 */
final class OpenLoopLoad {

  /** One request to send: its bytes, and whether its answer should be kept (a POST's body carries the new id). */
  record Request(byte[] bytes, boolean post) {}

  /** One answer: when it was due, how long it took from then, its status and (for a POST) its body. */
  record Answer(boolean post, long dueNanos, long latencyNanos, int status, String body) {}

  /** Everything one run produced. */
  record Result(List<Answer> answers, int sent, int unanswered, long startNanos, long endNanos, int reconnects) {}

  private final InetSocketAddress address;
  private final int connections;

  OpenLoopLoad(InetSocketAddress address, int connections) {
    this.address = address;
    this.connections = connections;
  }

  /** Sends {@code rate × seconds} requests ({@code request} builds the i-th), then waits up to {@code drainSeconds} for the answers. */
  Result run(int rate, int seconds, IntFunction<Request> request, int drainSeconds) throws IOException {
    int total = rate * seconds;
    long interval = 1_000_000_000L / rate;
    List<Answer> answers = new ArrayList<>(total);
    ArrayDeque<Integer> due = new ArrayDeque<>();
    ArrayDeque<Connection> idle = new ArrayDeque<>();
    int reconnects = 0;
    try (Selector selector = Selector.open()) {
      List<Connection> all = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Connection c = new Connection(selector);
        all.add(c);
        idle.add(c);
      }
      long start = System.nanoTime();
      long drainUntil = start + seconds * 1_000_000_000L + drainSeconds * 1_000_000_000L;
      int next = 0;
      int inFlight = 0;
      while (true) {
        long now = System.nanoTime();
        while (next < total && start + next * interval <= now) {
          due.add(next++);
        }
        while (!due.isEmpty() && !idle.isEmpty()) {
          Connection c = idle.poll();
          int i = due.poll();
          c.send(i, start + i * interval, request.apply(i));
          inFlight++;
        }
        if (next == total && due.isEmpty() && inFlight == 0 || now > drainUntil) {
          int unanswered = inFlight + due.size() + (total - next);
          for (Connection c : all) {
            c.close();
          }
          return new Result(answers, next, unanswered, start, System.nanoTime(), reconnects);
        }
        long wait = next < total ? start + next * interval - now : 100_000_000L;
        if (wait <= 0) {
          selector.selectNow();
        } else {
          selector.select(Math.max(1, wait / 1_000_000));
        }
        for (SelectionKey key : selector.selectedKeys()) {
          Connection c = (Connection) key.attachment();
          Answer answer = c.readable();
          if (answer == null && c.closing) {
            c.reopen(selector); // closed while idle: it stays in the idle queue
            reconnects++;
          }
          if (answer != null) {
            answers.add(answer);
            inFlight--;
            if (c.closing) {
              c.reopen(selector);
              reconnects++;
            }
            idle.add(c);
          }
        }
        selector.selectedKeys().clear();
      }
    }
  }

  /** One keep-alive connection: at most one request in flight, its answer parsed as it arrives. */
  private final class Connection {
    private SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private long dueNanos;
    private boolean post;
    private boolean busy;
    boolean closing;

    Connection(Selector selector) throws IOException {
      open(selector);
    }

    private void open(Selector selector) throws IOException {
      channel = SocketChannel.open(address);
      channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ, this);
      in.clear();
      closing = false;
    }

    void reopen(Selector selector) throws IOException {
      close();
      open(selector);
    }

    void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }

    void send(int index, long dueNanos, Request request) throws IOException {
      this.dueNanos = dueNanos;
      this.post = request.post();
      this.busy = true;
      ByteBuffer out = ByteBuffer.wrap(request.bytes());
      while (out.hasRemaining()) {
        // A request is a few hundred bytes against an empty socket buffer: this does not spin.
        channel.write(out);
      }
    }

    /** Reads what arrived; answers the response once complete, else null. */
    Answer readable() throws IOException {
      int n;
      try {
        n = channel.read(in);
      } catch (IOException reset) {
        n = -1;
      }
      if (n < 0) {
        // Closed by storeops: idle (keep-alive timeout), or with a request in flight, which fails.
        closing = true;
        in.clear();
        if (!busy) {
          return null;
        }
        busy = false;
        return new Answer(post, dueNanos, System.nanoTime() - dueNanos, 0, null);
      }
      byte[] a = in.array();
      int end = in.position();
      int headerEnd = indexOf(a, 0, end, "\r\n\r\n");
      if (headerEnd < 0) {
        return null;
      }
      String head = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      String lower = head.toLowerCase(java.util.Locale.ROOT);
      int bodyStart = headerEnd + 4;
      int bodyEnd;
      String body;
      int length = header(lower, "content-length:");
      if (length >= 0) {
        bodyEnd = bodyStart + length;
        if (end < bodyEnd) {
          return null;
        }
        body = post ? new String(a, bodyStart, length, StandardCharsets.UTF_8) : null;
      } else if (lower.contains("transfer-encoding: chunked")) {
        StringBuilder text = post ? new StringBuilder() : null;
        int at = bodyStart;
        while (true) {
          int lineEnd = indexOf(a, at, end, "\r\n");
          if (lineEnd < 0) {
            return null;
          }
          int size = Integer.parseInt(new String(a, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
          if (end < lineEnd + 2 + size + 2) {
            return null;
          }
          if (size == 0) {
            bodyEnd = lineEnd + 4;
            break;
          }
          if (text != null) {
            text.append(new String(a, lineEnd + 2, size, StandardCharsets.UTF_8));
          }
          at = lineEnd + 2 + size + 2;
        }
        body = text == null ? null : text.toString();
      } else {
        throw new IOException("an answer with neither Content-Length nor chunks: " + head);
      }
      long now = System.nanoTime();
      closing = lower.contains("connection: close");
      busy = false;
      // One request in flight per connection: nothing follows this answer.
      in.clear();
      return new Answer(post, dueNanos, now - dueNanos, status, body);
    }

    private static int header(String lowerHead, String name) {
      int at = lowerHead.indexOf(name);
      if (at < 0) {
        return -1;
      }
      int lineEnd = lowerHead.indexOf("\r\n", at);
      return Integer.parseInt(lowerHead.substring(at + name.length(), lineEnd < 0 ? lowerHead.length() : lineEnd).trim());
    }

    private static int indexOf(byte[] a, int from, int to, String needle) {
      outer:
      for (int i = from; i <= to - needle.length(); i++) {
        for (int j = 0; j < needle.length(); j++) {
          if (a[i + j] != needle.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
