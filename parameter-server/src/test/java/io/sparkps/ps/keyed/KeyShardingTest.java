package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyShardingTest {

  @Test
  void consecutiveKeysSpreadEvenly() {
    // The hottest keys of Zipf data are the smallest: 0..99,999 must not cluster.
    for (int shards : new int[] {4, 8}) {
      KeySharding sharding = new KeySharding(shards, 7);
      int[] load = new int[shards];
      for (long key = 0; key < 100_000; key++) {
        load[sharding.shardOf(key)]++;
      }
      double mean = 100_000.0 / shards;
      for (int s = 0; s < shards; s++) {
        assertTrue(Math.abs(load[s] - mean) < 0.03 * mean,
            "shard " + s + " of " + shards + " holds " + load[s] + " keys, mean " + mean);
      }
    }
  }

  @Test
  void shardsAreInRangeForExtremeKeysAndDependOnTheSeed() {
    KeySharding a = new KeySharding(5, 1);
    KeySharding b = new KeySharding(5, 2);
    int differ = 0;
    for (long key : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1, 2, 3, 4, 5, 6, 7}) {
      int s = a.shardOf(key);
      assertTrue(s >= 0 && s < 5, "key " + key + " -> shard " + s);
      assertEquals(s, a.shardOf(key));
      differ += a.shardOf(key) != b.shardOf(key) ? 1 : 0;
    }
    assertNotEquals(0, differ, "the seed changes the map");
    assertEquals(0, new KeySharding(1, 3).shardOf(Long.MIN_VALUE));
  }

  @Test
  void aShardCountBelowOneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeySharding(0, 1));
    assertEquals("a keyed table needs at least 1 shard, got 0; pass the number of server shards",
        e.getMessage());
  }
}
