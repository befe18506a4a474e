package io.sparkps.ps.keyed;

/**
 * A map from 64-bit key to a dense slot number {@code 0, 1, 2, ...}: open addressing with
 * linear probing over two primitive arrays (keys, slot + 1; 0 marks an empty cell), no object
 * per key. The capacity is a power of two and doubles when more than 3/4 of the cells are used,
 * so it costs 12 bytes per cell, 16 to 32 bytes per key. Keys are spread over cells by
 * {@link KeySharding#mix}, so adversarial or clustered keys (consecutive hashed indices) probe
 * as few cells as random ones. Not thread-safe.
 */
final class LongSlotIndex {
  static final int MIN_CAPACITY = 16;
  private static final long CELL_BYTES = Long.BYTES + Integer.BYTES;

  private long[] keys;
  private int[] slots;
  private int size;

  LongSlotIndex() {
    keys = new long[MIN_CAPACITY];
    slots = new int[MIN_CAPACITY];
  }

  int size() {
    return size;
  }

  int capacity() {
    return keys.length;
  }

  /** Bytes of the index's arrays. */
  long bytes() {
    return CELL_BYTES * keys.length;
  }

  /** Bytes of the index's arrays once one more key is added (the arrays double when full). */
  long bytesAfterAdd() {
    return needsGrowth() ? 2 * bytes() : bytes();
  }

  /** The slot of {@code key}, or -1 when absent. */
  int find(long key) {
    int mask = keys.length - 1;
    for (int i = (int) KeySharding.mix(key) & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return -1;
      }
      if (keys[i] == key) {
        return s - 1;
      }
    }
  }

  /**
   * The slots of {@code keys[0, n)} into {@code out} (-1 where absent), as {@link #find} gives
   * them, a batch at a time: the first probe of each key in a batch is loaded before any is
   * resolved, so the cache misses of a large index overlap instead of following one another
   * (each random probe of an index larger than the cache is a miss to memory).
   */
  void findAll(long[] keys, int n, int[] out) {
    findAll(keys, 0, n, out);
  }

  /**
   * As {@link #findAll(long[], int, int[])} for {@code keys[start, n)} only; it only reads, so
   * threads may look up disjoint ranges at once while no key is added.
   */
  void findAll(long[] keys, int start, int n, int[] out) {
    int mask = this.keys.length - 1;
    long[] k = this.keys;
    int[] s = this.slots;
    int[] cell = new int[Math.max(0, Math.min(n - start, BATCH))];
    long touched = 0;
    for (int from = start; from < n; from += BATCH) {
      int to = Math.min(n, from + BATCH);
      for (int j = from; j < to; j++) {
        int i = (int) KeySharding.mix(keys[j]) & mask;
        cell[j - from] = i;
        touched += k[i] + s[i]; // independent loads: their misses overlap
      }
      for (int j = from; j < to; j++) {
        out[j] = probe(keys[j], cell[j - from], mask);
      }
    }
    sink = touched;
  }

  /** Keys of a batch of {@link #findAll}. */
  static final int BATCH = 16;
  /** Keeps the batch's first loads from being removed as unused. */
  @SuppressWarnings("unused")
  private long sink;

  private int probe(long key, int from, int mask) {
    for (int i = from; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return -1;
      }
      if (keys[i] == key) {
        return s - 1;
      }
    }
  }

  /** Adds an absent {@code key} with slot {@code size()} and returns that slot. */
  int add(long key) {
    if (needsGrowth()) {
      rehash(keys.length * 2);
    }
    int slot = size++;
    insert(keys, slots, key, slot + 1);
    return slot;
  }

  /** Calls {@code visitor} with every key and its slot, in no particular order. */
  void forEach(KeySlotVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (slots[i] != 0) {
        visitor.visit(keys[i], slots[i] - 1);
      }
    }
  }

  /** The keys, ascending. */
  long[] sortedKeys() {
    long[] sorted = new long[size];
    int[] n = {0};
    forEach((key, slot) -> sorted[n[0]++] = key);
    java.util.Arrays.sort(sorted);
    return sorted;
  }

  /** Receives one key and its slot. */
  interface KeySlotVisitor {
    void visit(long key, int slot);
  }

  private boolean needsGrowth() {
    return (size + 1L) * 4 > 3L * keys.length;
  }

  private void rehash(int capacity) {
    if (capacity <= 0) {
      throw new IllegalStateException("a keyed table cannot index more than "
          + size + " keys in one shard (its index would pass 2^30 cells); spread the keys "
          + "over more shards");
    }
    long[] k = new long[capacity];
    int[] s = new int[capacity];
    for (int i = 0; i < keys.length; i++) {
      if (slots[i] != 0) {
        insert(k, s, keys[i], slots[i]);
      }
    }
    keys = k;
    slots = s;
  }

  private static void insert(long[] k, int[] s, long key, int slotPlusOne) {
    int mask = k.length - 1;
    int i = (int) KeySharding.mix(key) & mask;
    while (s[i] != 0) {
      if (k[i] == key) {
        throw new IllegalStateException("key " + key + " is already in the index");
      }
      i = (i + 1) & mask;
    }
    k[i] = key;
    s[i] = slotPlusOne;
  }
}
