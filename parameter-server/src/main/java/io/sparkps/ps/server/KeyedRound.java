package io.sparkps.ps.server;

import java.util.Arrays;

/**
 * The example-weighted mean of a sync round's keyed pushes, per key, over the union of their
 * keys: {@code mean[k] = (e_0 * g_0[k] + e_1 * g_1[k] + ...) / (e_0 + e_1 + ...)} summed in float
 * in ascending partition order, where a partition whose push lacks key k adds nothing (a zero
 * gradient, as in the dense sum of {@link RoundTally}, whose floats this reproduces).
 *
 * <p>Pushes are folded into the per-key sums as they arrive, as {@link RoundTally} folds dense
 * ones, so that the last push of a round finds most of the summing done: a push is folded on
 * arrival when every lower partition already is (the order of the float sums), or whatever its
 * order when the round has two partitions (a sum of two terms from zero is the same float in
 * either order). A round's state is immutable: {@link #fold} returns a new one, so a last push
 * that the table refuses leaves the round as it was.
 */
final class KeyedRound {

  /**
   * The union's keys (ascending), their mean rows, the keys the pushes carried in all, and the
   * keys' slots in the table where the pushes knew them (-1 elsewhere; null when none did).
   */
  record Mean(long[] keys, float[] rows, long pushedKeys, int[] slots) {}

  /**
   * The sums of the pushes folded so far: their union's keys (ascending), their
   * example-weighted rows, their examples, their keys in all and the keys' known slots (as in
   * {@link Mean}).
   */
  record Sums(long[] keys, float[] sums, long examples, long pushedKeys, int[] slots) {
    static final Sums EMPTY = new Sums(new long[0], new float[0], 0, 0, null);

    /**
     * The mean: the sums divided by the examples (at least 1), in place. Call it once, on the
     * sums of the round's last fold, which nothing else holds.
     */
    Mean mean() {
      float total = (float) Math.max(1, examples);
      for (int i = 0; i < sums.length; i++) {
        sums[i] /= total;
      }
      return new Mean(keys, sums, pushedKeys, slots);
    }
  }

  private KeyedRound() {
  }

  /** The mean of the pushes in {@code byPartition} (one per partition, none null). */
  static Mean mean(KeyedData[] byPartition, int width) {
    Sums s = Sums.EMPTY;
    for (KeyedData d : byPartition) {
      s = fold(s, d, width);
    }
    return s.mean();
  }

  /**
   * {@code acc} with {@code d} added: over the union of their keys, a key's sum is its sum in
   * {@code acc} (or 0) plus {@code examples * row} of {@code d} (if {@code d} has the key).
   * {@code acc} is not changed.
   */
  static Sums fold(Sums acc, KeyedData d, int width) {
    return fold(acc, d, null, width);
  }

  /**
   * As {@link #fold(Sums, KeyedData, int)}, carrying the keys' slots: a key of the union has the
   * slot {@code acc} or {@code known} (the slots of {@code d}'s keys, or null) gives it, or -1.
   */
  static Sums fold(Sums acc, KeyedData d, int[] known, int width) {
    float w = (float) d.examples();
    long[] a = acc.keys();
    long[] b = d.keys();
    float[] rows = d.rows();
    long examples = Math.addExact(acc.examples(), d.examples());
    long pushed = acc.pushedKeys() + b.length;
    if (a.length == 0) {
      float[] out = new float[Math.multiplyExact(b.length, width)];
      for (int c = 0; c < out.length; c++) {
        out[c] = 0f + w * rows[c]; // 0f + keeps a -0 product's sum +0, as the dense sum has it
      }
      return new Sums(b, out, examples, pushed, known);
    }
    long[] union = merge(a, b);
    float[] in = acc.sums();
    float[] out = new float[Math.multiplyExact(union.length, width)];
    int[] accSlots = acc.slots();
    int[] slots = accSlots == null && known == null ? null : new int[union.length];
    int i = 0;
    int j = 0;
    for (int u = 0; u < union.length; u++) {
      long key = union[u];
      int to = u * width;
      boolean inA = i < a.length && a[i] == key;
      boolean inB = j < b.length && b[j] == key;
      if (slots != null) {
        int sa = inA && accSlots != null ? accSlots[i] : -1;
        slots[u] = sa >= 0 ? sa : inB && known != null ? known[j] : -1;
      }
      if (inA && inB) {
        addScaled(in, i * width, w, rows, j * width, out, to, width);
      } else if (inB) {
        addScaled(null, 0, w, rows, j * width, out, to, width);
      } else {
        System.arraycopy(in, i * width, out, to, width);
      }
      i += inA ? 1 : 0;
      j += inB ? 1 : 0;
    }
    return new Sums(union, out, examples, pushed, slots);
  }

  /** {@code out[to + c] = (base == null ? 0f : base[from + c]) + w * rows[r + c]}, c < width. */
  private static void addScaled(float[] base, int from, float w, float[] rows, int r,
      float[] out, int to, int width) {
    if (base == null) {
      for (int c = 0; c < width; c++) {
        out[to + c] = 0f + w * rows[r + c];
      }
    } else {
      for (int c = 0; c < width; c++) {
        out[to + c] = base[from + c] + w * rows[r + c];
      }
    }
  }

  /**
   * The sorted union of the pushes' key lists (each ascending and unique), by merging them in
   * pairs (log P passes of linear merges; no sort).
   */
  static long[] union(KeyedData[] byPartition) {
    long[][] runs = new long[byPartition.length][];
    for (int p = 0; p < runs.length; p++) {
      runs[p] = byPartition[p].keys();
    }
    int n = runs.length;
    while (n > 1) {
      int m = 0;
      for (int i = 0; i < n; i += 2) {
        runs[m++] = i + 1 < n ? merge(runs[i], runs[i + 1]) : runs[i];
      }
      n = m;
    }
    return n == 0 ? new long[0] : runs[0];
  }

  /** The sorted union of two ascending unique arrays. */
  static long[] merge(long[] a, long[] b) {
    long[] out = new long[Math.addExact(a.length, b.length)];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length && j < b.length) {
      long x = a[i];
      long y = b[j];
      if (x < y) {
        out[n++] = x;
        i++;
      } else if (y < x) {
        out[n++] = y;
        j++;
      } else {
        out[n++] = x;
        i++;
        j++;
      }
    }
    while (i < a.length) {
      out[n++] = a[i++];
    }
    while (j < b.length) {
      out[n++] = b[j++];
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
