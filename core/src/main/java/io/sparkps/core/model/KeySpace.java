package io.sparkps.core.model;

/** How a key space is written for people: {@code 2^20 keys} for powers of two, else the count. */
final class KeySpace {
  private KeySpace() {
  }

  static String describe(int keys) {
    return Integer.bitCount(keys) == 1 && keys >= 1024
        ? "2^" + Integer.numberOfTrailingZeros(keys) + " keys" : keys + " keys";
  }
}
