package io.sparkps.core.data;

import java.util.SplittableRandom;

/** Seeded permutations and splits, so every shuffle in SparkPS reproduces from its seed. */
public final class Shuffle {
  private Shuffle() {
  }

  /** A Fisher-Yates permutation of {@code 0..n-1} (Knuth, TAOCP vol. 2, Algorithm P). */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * A seeded permutation of {@code 0..n-1} that moves runs of {@code chunk} consecutive indices
   * together: the ceil(n / chunk) runs (the last may be shorter) are put in the order of {@link
   * #permutation}{@code (runs, seed)} and each run keeps its indices in ascending order. With
   * {@code chunk} 1 it is {@link #permutation}{@code (n, seed)} itself.
   */
  public static int[] chunkedPermutation(int n, int chunk, long seed) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
    }
    if (chunk == 1) {
      return permutation(n, seed);
    }
    int[] runs = permutation((int) ((n + (long) chunk - 1) / chunk), seed);
    int[] p = new int[n];
    int k = 0;
    for (int run : runs) {
      int from = run * chunk;
      int to = Math.min(n, from + chunk);
      for (int i = from; i < to; i++) {
        p[k++] = i;
      }
    }
    return p;
  }

  /** The seed of epoch {@code epoch} derived from a job seed (a SplitMix64 step). */
  public static long epochSeed(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Train and validation parts of a seeded shuffle; the validation part holds {@code fraction}. */
  public record Split<B extends Block>(B train, B validation) {
  }

  /** Splits dense or sparse rows; each kind's {@code select} returns its own kind. */
  @SuppressWarnings("unchecked")
  public static <B extends Block> Split<B> split(B data, double fraction, long seed) {
    int[] p = permutation(data.rows(), seed);
    int nVal = (int) Math.round(data.rows() * fraction);
    int[] val = java.util.Arrays.copyOfRange(p, 0, nVal);
    int[] train = java.util.Arrays.copyOfRange(p, nVal, p.length);
    return new Split<>((B) data.select(train), (B) data.select(val));
  }
}
