package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.core.model.FactorizationMachine;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rows a sequence of rounds produces do not depend on the order in which a round's keys
 * arrive (split over requests in any order) nor on the number of shards: bit for bit.
 */
class DeterminismTest {
  private static final int WIDTH = 5;
  private static final int ROUNDS = 6;
  private static final FactorizationMachine FM = FmSpec.of(1 << 20, WIDTH - 1,
      new Loss.LogLoss()).build();

  @Test
  void adaGrad() {
    check(new SparseAdaGrad(0.05, 0.01, 1e-10));
  }

  @Test
  void lazyAdam() {
    check(new LazyAdam(0.01, 0.9, 0.999, 1e-8, 0.001));
  }

  @Test
  void ftrl() {
    check(new Ftrl(0.1, 1, 0.02, 0.1));
  }

  private static void check(SparseOptimizer opt) {
    long[][] roundKeys = new long[ROUNDS][];
    SplittableRandom rng = new SplittableRandom(11);
    for (int r = 0; r < ROUNDS; r++) {
      roundKeys[r] = rng.longs(300, 0, 2000).map(k -> k * 7919 - 5000).distinct().sorted()
          .toArray();
    }
    KeyedTable one = table(opt);
    for (int r = 0; r < ROUNDS; r++) {
      one.push(roundKeys[r], gradients(roundKeys[r], r));
    }
    for (int shards : new int[] {3, 8}) {
      KeySharding sharding = new KeySharding(shards, 99);
      KeyedTable[] tables = new KeyedTable[shards];
      for (int s = 0; s < shards; s++) {
        tables[s] = table(opt);
      }
      Random shuffle = new Random(shards);
      for (int r = 0; r < ROUNDS; r++) {
        for (long[] request : requests(roundKeys[r], sharding, shuffle)) {
          tables[sharding.shardOf(request[0])].push(request, gradients(request, r));
        }
      }
      int total = 0;
      for (KeyedTable t : tables) {
        total += t.size();
      }
      assertEquals(one.size(), total);
      float[] a = new float[one.recordFloats()];
      float[] b = new float[one.recordFloats()];
      for (long key : one.sortedKeys()) {
        one.readRecord(key, a, 0);
        tables[sharding.shardOf(key)].readRecord(key, b, 0);
        assertArrayEquals(bits(a), bits(b), "key " + key + " over " + shards + " shards");
      }
    }
  }

  /** A round's keys grouped by shard, cut into requests of random length, in random order. */
  private static List<long[]> requests(long[] keys, KeySharding sharding, Random rng) {
    List<long[]> out = new ArrayList<>();
    for (int s = 0; s < sharding.shards(); s++) {
      int shard = s;
      long[] mine = Arrays.stream(keys).filter(k -> sharding.shardOf(k) == shard).toArray();
      for (int from = 0; from < mine.length; ) {
        int to = Math.min(mine.length, from + 1 + rng.nextInt(40));
        out.add(Arrays.copyOfRange(mine, from, to));
        from = to;
      }
    }
    Collections.shuffle(out, rng);
    return out;
  }

  /** A gradient that depends only on the key, the slot and the round. */
  private static float[] gradients(long[] keys, int round) {
    float[] g = new float[keys.length * WIDTH];
    for (int k = 0; k < keys.length; k++) {
      SplittableRandom rng = new SplittableRandom(keys[k] * 31 + round);
      for (int i = 0; i < WIDTH; i++) {
        g[k * WIDTH + i] = (float) rng.nextGaussian();
      }
    }
    return g;
  }

  private static KeyedTable table(SparseOptimizer opt) {
    return new KeyedTable(WIDTH, opt, RowInitializer.of(FM, 5), 1L << 30);
  }

  private static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToRawIntBits(a[i]);
    }
    return b;
  }
}
