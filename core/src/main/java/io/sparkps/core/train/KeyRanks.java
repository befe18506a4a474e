package io.sparkps.core.train;

import io.sparkps.core.data.SparseBlock;
import java.util.Arrays;
import java.util.List;

/**
 * The sorted unique keys (column indices) of a keyed round's minibatches, and each stored entry's
 * rank among them: what {@link CompactBatch} re-indexes the minibatches by. One pass over the
 * entries deduplicates them in an open-addressing table (linear probing, Fibonacci hashing, at
 * most half full), giving each key a first-seen id; only the unique keys are then sorted, and
 * each entry's id is mapped to its key's rank. That is O(nnz + u log u) for nnz entries over u
 * keys, where sorting every entry and binary-searching each costs O(nnz log nnz): click-through
 * rows repeat their frequent keys, so u is a fraction of nnz.
 *
 * @param keys the ascending unique keys
 * @param ranks per source block, the rank in {@code keys} of each stored entry of its rows
 *     {@code [from, to)}, in entry order
 */
record KeyRanks(long[] keys, int[][] ranks) {

  /** The ranks of the entries of rows {@code [from[s], to[s])} of each {@code sources[s]}. */
  static KeyRanks of(List<SparseBlock> sources, int[] from, int[] to) {
    long total = 0;
    for (int s = 0; s < from.length; s++) {
      SparseBlock b = sources.get(s);
      total += b.rowStart()[to[s]] - b.rowStart()[from[s]];
    }
    if (total > 1 << 29) {
      throw new IllegalArgumentException("a keyed round holds " + total + " stored entries, "
          + "more than the 2^29 one round can index; use a smaller --batch-size or fewer "
          + "--local-steps.");
    }
    int[] firstSeen = new int[(int) total];
    int[][] ids = new int[from.length][];
    int u = firstSeenIds(sources, from, to, firstSeen, ids);
    // column indices are non-negative: sorting (key << 32 | id) sorts by key
    long[] packed = new long[u];
    for (int i = 0; i < u; i++) {
      packed[i] = ((long) firstSeen[i] << 32) | i;
    }
    Arrays.sort(packed);
    long[] keys = new long[u];
    int[] rankOfId = new int[u];
    for (int r = 0; r < u; r++) {
      keys[r] = packed[r] >>> 32;
      rankOfId[(int) packed[r]] = r;
    }
    for (int[] out : ids) {
      for (int e = 0; e < out.length; e++) {
        out[e] = rankOfId[out[e]];
      }
    }
    return new KeyRanks(keys, ids);
  }

  /**
   * Gives each distinct key its first-seen id (its key into {@code firstSeen[id]}) and each
   * entry its key's id (into {@code ids[s]}); returns the number of distinct keys.
   */
  private static int firstSeenIds(List<SparseBlock> sources, int[] from, int[] to,
      int[] firstSeen, int[][] ids) {
    int bits = Math.max(4, 32 - Integer.numberOfLeadingZeros(Math.max(1,
        2 * firstSeen.length - 1)));
    long[] table = new long[1 << bits]; // slot: (id + 1) << 32 | key, 0 when empty
    int mask = table.length - 1;
    int u = 0;
    for (int s = 0; s < from.length; s++) {
      SparseBlock b = sources.get(s);
      int[] indices = b.indices();
      int lo = b.rowStart()[from[s]];
      int[] out = new int[b.rowStart()[to[s]] - lo];
      for (int e = 0; e < out.length; e++) {
        int key = indices[lo + e];
        int h = (key * 0x9E3779B9) >>> (32 - bits);
        long slot;
        while ((slot = table[h]) != 0 && (int) slot != key) {
          h = (h + 1) & mask;
        }
        if (slot == 0) {
          table[h] = ((long) (u + 1) << 32) | (key & 0xFFFFFFFFL);
          firstSeen[u] = key;
          out[e] = u++;
        } else {
          out[e] = (int) (slot >>> 32) - 1;
        }
      }
      ids[s] = out;
    }
    return u;
  }

  /** The ranks of source {@code s}'s entries. */
  int[] rankOf(int s) {
    return ranks[s];
  }
}
