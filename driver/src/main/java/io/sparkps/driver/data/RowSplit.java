package io.sparkps.driver.data;

import java.io.Serializable;

/**
 * The seeded train/validation split: a row is for validation when a hash of its key and the seed,
 * read as a number in [0, 1), falls below the fraction. The decision depends on the row alone,
 * not on partitioning or order, so every read and every retried task agree on it; the
 * validation share is the fraction up to binomial noise.
 *
 * @param seed the job's seed
 * @param fraction the validation share, in [0, 1)
 */
record RowSplit(long seed, double fraction) implements Serializable {

  RowSplit {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in [0, 1), got "
          + fraction + " (--validation)");
    }
  }

  boolean isValidation(long key) {
    if (fraction == 0) {
      return false;
    }
    long h = mix(key ^ mix(seed));
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  /** The SplitMix64 finalizer (Steele, Lea and Flood, 2014): a well-spread 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash (FNV-1a, then mixed) of where rows come from: a file, a partition. */
  static long origin(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    return mix(h);
  }

  /** The key of the row at {@code position} (byte offset or row index) of an origin. */
  static long key(long origin, long position) {
    return origin + mix(position + 0x9E3779B97F4A7C15L);
  }
}
