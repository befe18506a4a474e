package io.sparkps.ps.server;

import java.util.Arrays;

/**
 * The example-weighted mean of a sync round's keyed pushes, per key, over the union of their
 * keys: {@code mean[k] = (e_0 * g_0[k] + e_1 * g_1[k] + ...) / (e_0 + e_1 + ...)} summed in float
 * in ascending partition order, where a partition whose push lacks key k adds nothing (a zero
 * gradient, as in the dense sum of {@link RoundTally}, whose floats this reproduces).
 */
final class KeyedRound {

  /** The union's keys (ascending), their mean rows, and the keys the pushes carried in all. */
  record Mean(long[] keys, float[] rows, long pushedKeys) {}

  private KeyedRound() {
  }

  /** The mean of the pushes in {@code byPartition} (one per partition, none null). */
  static Mean mean(KeyedData[] byPartition, int width) {
    long[] union = union(byPartition);
    float[] sum = new float[Math.multiplyExact(union.length, width)];
    long examples = 0;
    long pushed = 0;
    for (KeyedData d : byPartition) {
      examples = Math.addExact(examples, d.examples());
      pushed += d.keys().length;
      float w = (float) d.examples();
      long[] keys = d.keys();
      float[] rows = d.rows();
      int u = 0;
      for (int k = 0; k < keys.length; k++) {
        while (union[u] != keys[k]) {
          u++;
        }
        int to = u * width;
        int from = k * width;
        for (int i = 0; i < width; i++) {
          sum[to + i] += w * rows[from + i];
        }
      }
    }
    float total = (float) Math.max(1, examples);
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= total;
    }
    return new Mean(union, sum, pushed);
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
