package io.sparkps.ps.keyed;

import java.util.Arrays;

/**
 * One shard's rows of a keyed model: for each 64-bit key touched so far, a record of the key's
 * {@code width} weights and its optimizer state ({@link SparseOptimizer#recordFloats}), created
 * on first touch from a seeded per-key {@link RowInitializer}. Memory grows with the keys
 * touched, never with the key space: a primitive {@link LongSlotIndex} maps a key to a slot
 * (doubling when 3/4 full) and records lie in pages of at most {@link #PAGE_FLOATS} floats
 * (unless one record is larger), float arrays added one at a time, so growth never copies the
 * rows. A page stays below 512 KB, half of G1's smallest region: larger arrays are "humongous"
 * objects that take whole regions, and pages of 590 KB cost 1 MB each (measured: 157 instead
 * of 98 bytes per key, bench/README.md). Every addition first checks that the table's retained
 * bytes stay within {@code maxBytes} and fails with a clear error otherwise (the old and new
 * index arrays coexist for the moment of a doubling).
 *
 * <p>Requests carry ascending, unique keys (the order of {@link Long#compare}); {@link
 * KeyedRequests} checks that. Pulls only read (they store nothing, not even absent keys), so several may run
 * at once, and with checkpoints and exports; a push or a restore must run alone (the shard that
 * owns the table guarantees both: {@code Shard}'s read-write lock).
 */
public final class KeyedTable {
  /** Floats per page, at most: 256 KB. */
  public static final int PAGE_FLOATS = 1 << 16;
  /** The widest row: larger rows belong to a dense model. */
  public static final int MAX_WIDTH = 1 << 16;

  private final int width;
  private final int stride;
  private final int pageRows;
  private final long maxBytes;
  private final SparseOptimizer optimizer;
  private final RowInitializer initializer;
  private final LongSlotIndex index = new LongSlotIndex();
  private final float[] initial;
  private float[][] pages = new float[4][];
  private int pageCount;

  /**
   * A table of rows of {@code width} floats, updated by {@code optimizer}, whose retained
   * bytes stay within {@code maxBytes}.
   */
  public KeyedTable(int width, SparseOptimizer optimizer, RowInitializer initializer,
      long maxBytes) {
    if (width < 1 || width > MAX_WIDTH) {
      throw new IllegalArgumentException("a keyed table's row width must be in [1, " + MAX_WIDTH
          + "], got " + width + "; use 1 for a linear weight, 1 + K for a factorization "
          + "machine with K factors");
    }
    SparseOptimizer.positive("a keyed table's byte bound", maxBytes,
        "give the bound of the shard's memory in bytes");
    this.width = width;
    this.stride = optimizer.recordFloats(width);
    this.pageRows = Math.max(1, PAGE_FLOATS / stride);
    this.maxBytes = maxBytes;
    this.optimizer = optimizer;
    this.initializer = initializer;
    this.initial = new float[width];
  }

  public int width() {
    return width;
  }

  /** The rule that updates the rows and lays out the records. */
  public SparseOptimizer optimizer() {
    return optimizer;
  }

  /** Floats of one key's record (weights and optimizer state). */
  public int recordFloats() {
    return stride;
  }

  /** Records per page: {@link #PAGE_FLOATS} / {@link #recordFloats()}, at least 1. */
  public int pageRows() {
    return pageRows;
  }

  /** Keys stored. */
  public int size() {
    return index.size();
  }

  /** Bytes of the arrays the table retains (index, page list and pages). */
  public long bytes() {
    return index.bytes() + (long) Integer.BYTES * stride * pageRows * pageCount
        + (long) Long.BYTES * pages.length;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Whether {@code key} has a row (it has been touched). */
  public boolean contains(long key) {
    return index.find(key) >= 0;
  }

  /**
   * Writes the rows of {@code keys} (ascending, unique) into {@code out}, {@code width} floats
   * per key in the keys' order. A key not seen before reads as the row its first push will
   * create (the seeded initial row), without being stored: only pushes grow the table, so keys
   * that are only read (held-out rows scored against the servers) cost no memory.
   */
  public void pull(long[] keys, float[] out) {
    pull(keys, out, new int[keys.length]);
  }

  /**
   * As {@link #pull(long[], float[])}, and writes each key's slot in this table into
   * {@code slots} (-1 for a key not stored): a later {@link #push(long[], float[], int[])} of
   * the same keys can pass them on instead of looking the keys up again. A stored key keeps its
   * slot for the table's life (keys are never removed or moved), so the slots stay valid for
   * this table, and only for it.
   */
  public void pull(long[] keys, float[] out, int[] slots) {
    KeyedRequests.check(keys, out, width, "pull");
    KeyedRequests.checkPulledSlots(keys, slots);
    KeyChunks.inChunks(keys.length, (from, to) -> {
      index.findAll(keys, from, to, slots);
      sink = touch(slots, from, to);
      float[] initialRow = null;
      float[] record = null;
      for (int k = from; k < to; k++) {
        int slot = slots[k];
        if (slot >= 0) {
          optimizer.weights(page(slot), offset(slot), width, out, k * width);
          continue;
        }
        if (record == null) {
          initialRow = new float[width];
          record = new float[stride];
        }
        initializer.initialize(keys[k], initialRow, 0);
        optimizer.create(initialRow, 0, record, 0, width);
        optimizer.weights(record, 0, width, out, k * width);
      }
      return -1;
    });
  }

  /**
   * Applies one update per key: {@code gradients} holds {@code width} floats per key of
   * {@code keys} (ascending, unique), in the keys' order. Absent keys are created first, so a
   * push past the byte bound fails before it updates any row (the rows it created are the
   * initial rows a later touch would create anyway). Returns the position in {@code keys} of the
   * first key whose record the update made non-finite (an overflow), or -1.
   */
  public int push(long[] keys, float[] gradients) {
    return push(keys, gradients, null);
  }

  /**
   * As {@link #push(long[], float[])}, with the keys' slots in this table where known
   * ({@code known[k]} from a {@link #pull(long[], float[], int[])} of this table, or -1; or
   * {@code known} null): known slots are not looked up again.
   */
  public int push(long[] keys, float[] gradients, int[] known) {
    KeyedRequests.check(keys, gradients, width, "push");
    int[] slots = slots(keys, known);
    return KeyChunks.inChunks(keys.length, (from, to) -> {
      int bad = -1;
      for (int k = from; k < to; k++) {
        int slot = slots[k];
        optimizer.update(page(slot), offset(slot), gradients, k * width, width);
        bad = bad < 0 && !finite(page(slot), offset(slot)) ? k : bad;
      }
      return bad;
    });
  }

  /**
   * Whether a record's floats are all finite: a float is infinite or NaN exactly when its bits
   * without the sign are at least those of infinity. An integer maximum has no chain of float
   * additions to wait on (a float sum of {@code x * 0} cost a third of the update's time).
   */
  private boolean finite(float[] page, int off) {
    int max = 0;
    for (int i = off; i < off + stride; i++) {
      max = Math.max(max, Float.floatToRawIntBits(page[i]) & 0x7FFFFFFF);
    }
    return max < 0x7F800000;
  }

  /**
   * Adds one delta row per key to the weights ({@link SparseOptimizer#addToWeights}): the update
   * of a round of local steps. Absent keys are created first, as {@link #push} does. Returns the
   * position of the first key whose record became non-finite, or -1.
   */
  public int addToWeights(long[] keys, float[] deltas) {
    return addToWeights(keys, deltas, null);
  }

  /** As {@link #addToWeights(long[], float[])}, with known slots as {@link #push} takes them. */
  public int addToWeights(long[] keys, float[] deltas, int[] known) {
    KeyedRequests.check(keys, deltas, width, "delta push");
    int[] slots = slots(keys, known);
    return KeyChunks.inChunks(keys.length, (from, to) -> {
      int bad = -1;
      for (int k = from; k < to; k++) {
        int slot = slots[k];
        optimizer.addToWeights(page(slot), offset(slot), deltas, k * width, width);
        bad = bad < 0 && !finite(page(slot), offset(slot)) ? k : bad;
      }
      return bad;
    });
  }

  /** The stored keys, ascending: the order checkpoints and model files are written in. */
  public long[] sortedKeys() {
    return index.sortedKeys();
  }

  /** Copies the record of a stored {@code key} into {@code out[off, off + recordFloats())}. */
  public void readRecord(long key, float[] out, int off) {
    int slot = index.find(key);
    if (slot < 0) {
      throw new IllegalArgumentException("key " + key + " has no row in this table");
    }
    System.arraycopy(page(slot), offset(slot), out, off, stride);
  }

  /** Stores {@code record[off, off + recordFloats())} as the record of an absent {@code key}. */
  public void putRecord(long key, float[] record, int off) {
    if (index.find(key) >= 0) {
      throw new IllegalArgumentException("key " + key + " already has a row in this table; a "
          + "restored table holds each key once");
    }
    int slot = add(key);
    System.arraycopy(record, off, page(slot), offset(slot), stride);
  }

  /**
   * The slots of {@code keys}, creating absent keys in key order: the {@code known} ones as given,
   * the others by a batched lookup first (see {@link LongSlotIndex#findAll}) and a first read of
   * each stored record so that the misses of a batch of records overlap before the caller reads
   * or updates them, both in parallel ranges of a large request ({@link KeyChunks#inChunks}: they
   * only read), then the creations on this thread.
   */
  private int[] slots(long[] keys, int[] known) {
    KeyedRequests.checkKnownSlots(keys, known);
    int[] slots = known == null ? new int[keys.length] : known.clone();
    KeyChunks.inChunks(keys.length, (from, to) -> {
      if (known == null) {
        index.findAll(keys, from, to, slots);
      } else {
        for (int k = from; k < to; k++) {
          slots[k] = slots[k] >= 0 ? slots[k] : index.find(keys[k]);
        }
      }
      sink = touch(slots, from, to);
      return -1;
    });
    for (int k = 0; k < keys.length; k++) {
      if (slots[k] < 0) {
        slots[k] = create(keys[k]);
      }
    }
    return slots;
  }

  /**
   * Reads the first float of the stored records of {@code slots[from, to)}: independent loads,
   * so the cache misses of records in random places overlap before the caller reads or steps the
   * records one after another. Returns their sum, for {@link #sink}.
   */
  private float touch(int[] slots, int from, int to) {
    float touched = 0;
    for (int k = from; k < to; k++) {
      touched += slots[k] < 0 ? 0 : page(slots[k])[offset(slots[k])];
    }
    return touched;
  }

  /** Keeps the records' first reads from being removed as unused. */
  @SuppressWarnings("unused")
  private volatile float sink;

  private int create(long key) {
    initializer.initialize(key, initial, 0);
    int slot = add(key);
    optimizer.create(initial, 0, page(slot), offset(slot), width);
    return slot;
  }

  private int add(long key) {
    int slot = index.size();
    boolean newPage = slot == pageCount * pageRows;
    long after = index.bytesAfterAdd() - index.bytes() + bytes()
        + (newPage ? (long) Integer.BYTES * stride * pageRows : 0);
    if (after > maxBytes) {
      throw new IllegalStateException("the keyed table would grow to " + after + " bytes with "
          + "key " + key + ", past its bound of " + maxBytes + " bytes (it holds " + slot
          + " keys of " + stride + " floats); give the shard more memory, or spread the keys "
          + "over more shards or server processes");
    }
    if (newPage) {
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, 2 * pages.length);
      }
      pages[pageCount++] = new float[pageRows * stride];
    }
    return index.add(key);
  }

  private float[] page(int slot) {
    return pages[slot / pageRows];
  }

  private int offset(int slot) {
    return (slot % pageRows) * stride;
  }
}
