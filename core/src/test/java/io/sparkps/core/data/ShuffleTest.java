package io.sparkps.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ShuffleTest {

  @Test
  void aChunkOfOneIsTheRowPermutation() {
    assertArrayEquals(Shuffle.permutation(1000, 11), Shuffle.chunkedPermutation(1000, 1, 11));
  }

  /** Every index once; runs of the chunk length, consecutive and in the order of the runs'. */
  @Test
  void chunksMoveTogetherInTheRunPermutationsOrder() {
    int n = 1003;
    int chunk = 8;
    int[] p = Shuffle.chunkedPermutation(n, chunk, 11);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < n; i++) {
      assertEquals(i, sorted[i], "index " + i + " appears exactly once");
    }
    int[] runs = Shuffle.permutation((n + chunk - 1) / chunk, 11);
    int k = 0;
    for (int run : runs) {
      for (int i = run * chunk; i < Math.min(n, run * chunk + chunk); i++) {
        assertEquals(i, p[k++], "position " + (k - 1));
      }
    }
    assertEquals(n, k);
    assertTrue(p[0] != 0 || p[chunk] != chunk, "the runs are shuffled");
  }

  @Test
  void aChunkBelowOneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shuffle.chunkedPermutation(10, 0, 1));
    assertEquals("chunk must be at least 1, got 0", e.getMessage());
  }
}
