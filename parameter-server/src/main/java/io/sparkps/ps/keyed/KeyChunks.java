package io.sparkps.ps.keyed;

/**
 * How a {@link KeyedTable} request's keys are spread over threads: requests of at least {@link
 * #PARALLEL_KEYS} keys are cut into ranges, one per thread of the common fork-join pool plus the
 * caller; smaller ones run on the calling thread. The table hands a range its keys only once
 * their slots are resolved, so ranges touch disjoint floats.
 */
final class KeyChunks {
  /** Keys of a request below which its records are stepped on one thread. */
  static final int PARALLEL_KEYS = 2048;

  private KeyChunks() {}

  /** Steps on a range {@code [from, to)} of a request's keys; the first bad position, or -1. */
  @FunctionalInterface
  interface Chunk {
    int run(int from, int to);
  }

  /**
   * Runs {@code chunk} over {@code [0, n)}: on the calling thread, or for requests of at least
   * {@link #PARALLEL_KEYS} keys in as many ranges as the common fork-join pool has threads plus
   * the caller. The keys' records are distinct and their slots already resolved, so the ranges
   * touch disjoint floats, and each key's result is the same on any thread. Returns the first bad
   * position over all ranges (the smallest), or -1.
   */
  static int inChunks(int n, Chunk chunk) {
    int parts = Math.min(n / (PARALLEL_KEYS / 2),
        java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
    if (n < PARALLEL_KEYS || parts < 2) {
      return chunk.run(0, n);
    }
    return java.util.stream.IntStream.range(0, parts).parallel()
        .map(c -> chunk.run((int) ((long) n * c / parts), (int) ((long) n * (c + 1) / parts)))
        .filter(b -> b >= 0).min().orElse(-1);
  }
}
