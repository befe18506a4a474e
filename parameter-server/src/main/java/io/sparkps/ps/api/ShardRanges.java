package io.sparkps.ps.api;

/**
 * How a vector of {@code size} floats splits into {@code shards} contiguous key ranges: shard i
 * holds {@code [i * size / shards, (i + 1) * size / shards)}. Client and server compute it alike.
 */
public record ShardRanges(long size, int shards) {

  public ShardRanges {
    if (shards < 1) {
      throw new IllegalArgumentException("shard count must be at least 1, got " + shards + ".");
    }
    if (size < shards) {
      throw new IllegalArgumentException("parameter count " + size + " is smaller than the shard "
          + "count " + shards + "; use at most " + size + " shards.");
    }
  }

  /** First global index of shard {@code i}. */
  public int start(int i) {
    return (int) (i * size / shards);
  }

  /** One past the last global index of shard {@code i}. */
  public int end(int i) {
    return (int) ((i + 1) * size / shards);
  }

  /** Length of shard {@code i}. */
  public int length(int i) {
    return end(i) - start(i);
  }
}
