package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.ps.api.PayloadKind;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-key sums of a sync round, folded push by push, against a sum written out by hand. */
class KeyedRoundTest {
  private static final int WIDTH = 2;

  private static KeyedData push(int partition, long examples, long[] keys, float[] rows) {
    return new KeyedData(0, partition, 0, examples, 0, PayloadKind.GRADIENT, keys, rows,
        new float[0], 0, null);
  }

  @Test
  void foldedSumsAreTheHandWrittenMeanInPartitionOrder() {
    KeyedData p0 = push(0, 2, new long[] {1, 5}, new float[] {1, 2, 3, 4});
    KeyedData p1 = push(1, 6, new long[] {5, 9}, new float[] {5, 6, 7, 8});
    KeyedRound.Mean m = KeyedRound.mean(new KeyedData[] {p0, p1}, WIDTH);
    assertArrayEquals(new long[] {1, 5, 9}, m.keys());
    float[] expected = {
        (0f + 2f * 1) / 8f, (0f + 2f * 2) / 8f,
        ((0f + 2f * 3) + 6f * 5) / 8f, ((0f + 2f * 4) + 6f * 6) / 8f,
        (0f + 6f * 7) / 8f, (0f + 6f * 8) / 8f};
    assertArrayEquals(expected, m.rows());
    assertEquals(4, m.pushedKeys());
  }

  /**
   * Folding one push at a time from the empty sums, as pushes arrive, gives the floats of the
   * mean over all pushes at once; with two partitions in either order (a two-term sum from zero
   * is the same float either way), with more in partition order.
   */
  @Test
  void foldingOnArrivalGivesTheSameFloats() {
    SplittableRandom rnd = new SplittableRandom(3);
    KeyedData[] ps = new KeyedData[4];
    for (int p = 0; p < ps.length; p++) {
      long[] keys = rnd.longs(300, 0, 500).sorted().distinct().toArray();
      float[] rows = new float[keys.length * WIDTH];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (float) rnd.nextGaussian() * (i % 7 == 0 ? 1e6f : 1e-3f);
      }
      ps[p] = push(p, 1 + rnd.nextInt(50), keys, rows);
    }
    KeyedRound.Mean all = KeyedRound.mean(ps, WIDTH);
    KeyedRound.Sums s = KeyedRound.Sums.EMPTY;
    for (KeyedData d : ps) {
      s = KeyedRound.fold(s, d, WIDTH);
    }
    KeyedRound.Mean folded = s.mean();
    assertArrayEquals(all.keys(), folded.keys());
    assertArrayEquals(all.rows(), folded.rows());
    KeyedData[] two = Arrays.copyOf(ps, 2);
    KeyedRound.Mean inOrder = KeyedRound.mean(two, WIDTH);
    KeyedRound.Mean reversed = KeyedRound.fold(KeyedRound.fold(KeyedRound.Sums.EMPTY, ps[1],
        WIDTH), ps[0], WIDTH).mean();
    assertArrayEquals(inOrder.keys(), reversed.keys());
    assertArrayEquals(inOrder.rows(), reversed.rows());
  }

  /**
   * The slots the pushes' pulls found travel with their keys through the union: a key takes
   * the slot of whichever push knew it, -1 where none did.
   */
  @Test
  void foldingCarriesEachKeysKnownSlot() {
    KeyedData p0 = push(0, 1, new long[] {1, 5, 7}, new float[6]);
    KeyedData p1 = push(1, 1, new long[] {2, 5, 9}, new float[6]);
    KeyedRound.Sums s = KeyedRound.fold(KeyedRound.Sums.EMPTY, p0, new int[] {10, -1, 12}, WIDTH);
    s = KeyedRound.fold(s, p1, new int[] {20, 21, -1}, WIDTH);
    KeyedRound.Mean m = s.mean();
    assertArrayEquals(new long[] {1, 2, 5, 7, 9}, m.keys());
    assertArrayEquals(new int[] {10, 20, 21, 12, -1}, m.slots());
    assertEquals(null, KeyedRound.mean(new KeyedData[] {p0, p1}, WIDTH).slots());
  }

  @Test
  void aPullsSlotsServeOnlyTheNextPushOfItsShardAndKeys() {
    PullMemo memo = new PullMemo();
    PullMemo.Slots slots = new PullMemo.Slots(null, new int[] {3, 4});
    memo.remember(0, new long[] {1, 2}, slots);
    assertEquals(null, memo.take(0, new long[] {1, 3}), "other keys");
    memo.remember(0, new long[] {1, 2}, slots);
    assertEquals(null, memo.take(1, new long[] {1, 2}), "another shard");
    memo.remember(0, new long[] {1, 2}, slots);
    assertEquals(slots, memo.take(0, new long[] {1, 2}));
    assertEquals(null, memo.take(0, new long[] {1, 2}), "used once");
  }
}
