package io.sparkps.ps.keyed;

/**
 * The shape checks of a {@link KeyedTable} request, made before it reads or changes a row:
 * ascending, unique keys (the order of {@link Long#compare}), one row of the table's width per
 * key, and one slot per key where slots are passed. Each failure names the value, the limit and
 * the fix.
 */
final class KeyedRequests {
  private KeyedRequests() {}

  /** Refuses {@code keys} that are not ascending and unique, or {@code values} not a row each. */
  static void check(long[] keys, float[] values, int width, String what) {
    if ((long) keys.length * width != values.length) {
      throw new IllegalArgumentException("a keyed " + what + " of " + keys.length + " keys of "
          + width + " floats needs " + (long) keys.length * width + " floats, got "
          + values.length + "; send one row of the table's width per key");
    }
    for (int i = 1; i < keys.length; i++) {
      if (keys[i] <= keys[i - 1]) {
        throw new IllegalArgumentException("key " + keys[i] + " at position " + i + " of a keyed "
            + what + " is not above the key before it (" + keys[i - 1] + "); requests carry "
            + "ascending, unique keys: sort and deduplicate them, summing duplicate gradients");
      }
    }
  }

  /** Refuses a pull's {@code slots} with less room than its keys. */
  static void checkPulledSlots(long[] keys, int[] slots) {
    if (slots.length < keys.length) {
      throw new IllegalArgumentException("a keyed pull of " + keys.length + " keys needs room "
          + "for as many slots, got " + slots.length);
    }
  }

  /** Refuses an update's {@code known} slots (when given) that are not one per key. */
  static void checkKnownSlots(long[] keys, int[] known) {
    if (known != null && known.length != keys.length) {
      throw new IllegalArgumentException("a keyed update of " + keys.length + " keys was given "
          + known.length + " known slots; give one per key (-1 where unknown) or none");
    }
  }
}
