package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A push given the slots a pull of the same keys found ({@link KeyedTable#pull(long[], float[],
 * int[])}) updates the same records, to the same floats, as a push that looks its keys up, also
 * for keys the pull did not find (created by the push, in key order) and in parallel ranges.
 */
class PulledSlotsTest {
  private static final int WIDTH = 9;

  @Test
  void pushWithPulledSlotsGivesTheFloatsOfAPushThatLooksUp() {
    SplittableRandom rnd = new SplittableRandom(21);
    long[] stored = rnd.longs(3 * KeyChunks.PARALLEL_KEYS).sorted().distinct().toArray();
    long[] fresh = rnd.longs(500).toArray();
    long[] keys = LongStream.concat(LongStream.of(stored), LongStream.of(fresh)).sorted()
        .distinct().toArray();
    KeyedTable looked = table();
    KeyedTable given = table();
    float[] first = gradient(rnd, stored.length);
    looked.push(stored, first);
    given.push(stored, first);
    float[] rows = new float[keys.length * WIDTH];
    int[] slots = new int[keys.length];
    given.pull(keys, rows, slots);
    int absent = 0;
    for (int k = 0; k < keys.length; k++) {
      absent += slots[k] < 0 ? 1 : 0;
    }
    assertEquals(keys.length - stored.length, absent, "the pull finds exactly the stored keys");
    float[] g = gradient(rnd, keys.length);
    assertEquals(-1, looked.push(keys, g));
    assertEquals(-1, given.push(keys, g, slots));
    assertEquals(-1, looked.addToWeights(keys, g));
    assertEquals(-1, given.addToWeights(keys, g, slots));
    assertEquals(looked.size(), given.size());
    float[] a = new float[2 * WIDTH];
    float[] b = new float[2 * WIDTH];
    for (long key : keys) {
      looked.readRecord(key, a, 0);
      given.readRecord(key, b, 0);
      assertArrayEquals(a, b, "key " + key);
    }
    assertArrayEquals(looked.sortedKeys(), given.sortedKeys());
  }

  @Test
  void slotsOfAnotherLengthAreRefused() {
    KeyedTable t = table();
    assertThrows(IllegalArgumentException.class,
        () -> t.push(new long[] {1, 2}, new float[2 * WIDTH], new int[] {-1}));
    assertThrows(IllegalArgumentException.class,
        () -> t.pull(new long[] {1, 2}, new float[2 * WIDTH], new int[1]));
  }

  private static KeyedTable table() {
    return new KeyedTable(WIDTH, new SparseAdaGrad(0.05, 0.01, 1e-8),
        RowInitializer.zeros(WIDTH), 1L << 30);
  }

  private static float[] gradient(SplittableRandom rnd, int keys) {
    float[] g = new float[keys * WIDTH];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rnd.nextGaussian();
    }
    return g;
  }
}
