package io.sparkps.ps.keyed;

/**
 * Which shard holds a key: the key is hashed with a seeded 64-bit mix (the finalizer of
 * MurmurHash3, Stafford's variant 13) and the hash's top 32 bits are mapped onto {@code shards}
 * equal ranges ({@code (hash >>> 32) * shards >>> 32}, Lemire's multiply-shift range reduction).
 *
 * <p>Why hash first: the keys of hashed features are already spread, but raw ids (user ids,
 * vocabulary ranks, {@code --features} indices) cluster, and the hottest keys of Zipf data are
 * the smallest ones; contiguous key ranges would put all of them on shard 0. Mixing makes every
 * key's shard independent of its value, so the hot keys land on shards at random. Why ranges of
 * the hash rather than a modulo: the two balance the same, but a range of the hash space can
 * later be split in two (a hot shard handed to a new server) while every other key stays where
 * it is, as with the token ranges of consistent hashing; a modulo moves almost every key when
 * the shard count changes. No hash can split a single key: with Zipf exponent 1.1 over 10^6
 * keys the hottest key alone takes about 10% of the touches (bench/README.md gives the measured
 * balance), which workers soften by sending each key once per request.
 */
public record KeySharding(int shards, long seed) {

  public KeySharding {
    if (shards < 1) {
      throw new IllegalArgumentException("a keyed table needs at least 1 shard, got " + shards
          + "; pass the number of server shards");
    }
  }

  /** The shard of {@code key}, in {@code [0, shards)}. */
  public int shardOf(long key) {
    long hash = mix(key ^ mix(seed));
    return (int) (((hash >>> 32) * shards) >>> 32);
  }

  /**
   * Stafford's variant 13 of MurmurHash3's 64-bit finalizer: a bijection of 64-bit values whose
   * every output bit depends on every input bit.
   */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
