package com.storeops.imports;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keys of a few kinds (handles, SKUs) with every occurrence, in primitive arrays and one byte arena
 * rather than a map of boxed entries: a distinct key costs 12 bytes of arrays, its UTF-8 bytes plus
 * one for its kind and 5 to 11 bytes of hash table; a further occurrence 12 bytes. Keys are
 * compared by their UTF-8 bytes, which is what PostgreSQL compares of the same keys sent by COPY.
 * Occurrences arrive in file order, so a key's first occurrence is its earliest line. Lines are
 * ints: the caller sends a file past 2^31 lines to PostgreSQL.
 */
final class KeyTable {

  private static final int INITIAL = 1 << 10;

  /**
   * Slots a key's placing may look at beyond its own, on average, before the table counts as
   * crowded: a good hash at this load factor needs one or two.
   */
  static final int PROBES_PER_KEY = 16;

  private final int maxOccurrences;
  private final int maxBytes;
  private final int probesPerKey;
  private final int seed = ThreadLocalRandom.current().nextInt();
  private long probes;
  private byte[] arena = new byte[INITIAL * 16];
  private int arenaSize;
  // per distinct key, by entry number: its kind's byte in the arena, then its bytes up to the next one's
  private int[] start = new int[INITIAL];
  private int[] firstLine = new int[INITIAL];
  private int[] firstProductLine = new int[INITIAL];
  private int entries;
  private int[] slots = new int[INITIAL * 2]; // entry + 1, 0 when free; linear probing
  // the further occurrences, in file order
  private int[] repeatEntry = new int[INITIAL];
  private int[] repeatLine = new int[INITIAL];
  private int[] repeatProductLine = new int[INITIAL];
  private int repeats;

  /**
   * @param maxOccurrences what the caller will add at most, and {@code maxBytes} of keys and their
   *     kinds: no array grows past them
   */
  KeyTable(int maxOccurrences, int maxBytes, int probesPerKey) {
    this.maxOccurrences = Math.max(1, maxOccurrences);
    this.maxBytes = maxBytes;
    this.probesPerKey = probesPerKey;
  }

  /** Occurrences held: distinct keys and their repeats. */
  int size() {
    return entries + repeats;
  }

  /** Slots looked at beyond each key's own, per key placed. */
  double probesPerKey() {
    return size() == 0 ? 0 : (double) probes / size();
  }

  /**
   * Placing the keys has looked at more slots than {@link #PROBES_PER_KEY} allow: the caller hands
   * the file on rather than add more, so the work a file of colliding keys makes stays linear.
   */
  boolean crowded() {
    return probes > probesPerKey * (size() + 64L);
  }

  void add(byte kind, byte[] key, int productLine, int line) {
    int mask = slots.length - 1;
    for (int i = (hash(key, 0, key.length) + kind) & mask; ; i = (i + 1) & mask, probes++) {
      int e = slots[i] - 1;
      if (e < 0) {
        slots[i] = insert(kind, key, productLine, line) + 1;
        if (entries * 4L > slots.length * 3L) {
          rehash(slots.length * 2);
        }
        return;
      }
      if (arena[start[e]] == kind && Arrays.equals(arena, start[e] + 1, end(e), key, 0, key.length)) {
        repeat(e, productLine, line);
        return;
      }
    }
  }

  int entries() {
    return entries;
  }

  byte kind(int entry) {
    return arena[start[entry]];
  }

  String key(int entry) {
    return new String(arena, start[entry] + 1, end(entry) - start[entry] - 1, StandardCharsets.UTF_8);
  }

  int firstLine(int entry) {
    return firstLine[entry];
  }

  int firstProductLine(int entry) {
    return firstProductLine[entry];
  }

  int repeats() {
    return repeats;
  }

  int repeatEntry(int repeat) {
    return repeatEntry[repeat];
  }

  int repeatLine(int repeat) {
    return repeatLine[repeat];
  }

  int repeatProductLine(int repeat) {
    return repeatProductLine[repeat];
  }

  /** The heap its arrays take, as allocated. */
  long bytes() {
    return arena.length + 4L * (start.length + firstLine.length + firstProductLine.length + slots.length
        + repeatEntry.length + repeatLine.length + repeatProductLine.length);
  }

  private int insert(byte kind, byte[] key, int productLine, int line) {
    if (entries == start.length) {
      int length = grown(start.length);
      start = Arrays.copyOf(start, length);
      firstLine = Arrays.copyOf(firstLine, length);
      firstProductLine = Arrays.copyOf(firstProductLine, length);
    }
    if (arenaSize + 1 + key.length > arena.length) {
      arena = Arrays.copyOf(arena, (int) Math.max(arenaSize + 1 + key.length, Math.min(arena.length * 2L, maxBytes)));
    }
    start[entries] = arenaSize;
    arena[arenaSize] = kind;
    System.arraycopy(key, 0, arena, arenaSize + 1, key.length);
    arenaSize += 1 + key.length;
    firstLine[entries] = line;
    firstProductLine[entries] = productLine;
    return entries++;
  }

  private void repeat(int entry, int productLine, int line) {
    if (repeats == repeatEntry.length) {
      int length = grown(repeatEntry.length);
      repeatEntry = Arrays.copyOf(repeatEntry, length);
      repeatLine = Arrays.copyOf(repeatLine, length);
      repeatProductLine = Arrays.copyOf(repeatProductLine, length);
    }
    repeatEntry[repeats] = entry;
    repeatLine[repeats] = line;
    repeatProductLine[repeats] = productLine;
    repeats++;
  }

  /** Doubles, but never past what the caller may add: at the bound no array holds unused half. */
  private int grown(int length) {
    return (int) Math.max(length + 1, Math.min(length * 2L, maxOccurrences));
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    int mask = capacity - 1;
    for (int e = 0; e < entries; e++) {
      int i = (hash(arena, start[e] + 1, end(e)) + arena[start[e]]) & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = e + 1;
    }
  }

  private int end(int entry) {
    return entry + 1 == entries ? arenaSize : start[entry + 1];
  }

  /**
   * FNV-1a from a seed of this table, then MurmurHash3's finaliser. Seeded, because keys come from
   * an uploaded file: with a fixed hash anyone could write a file of keys sharing one slot ("Aa",
   * "BB" and "C#" share String's) and make every placing walk all of them. {@link #crowded} stops
   * what a seed cannot.
   */
  private int hash(byte[] bytes, int from, int to) {
    int h = seed;
    for (int i = from; i < to; i++) {
      h = (h ^ bytes[i]) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
