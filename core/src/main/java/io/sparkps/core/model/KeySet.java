package io.sparkps.core.model;

/**
 * The keys one minibatch touched, in first-touch order, with O(1) insertion and no clearing
 * between minibatches: a stamp per key marks membership in the current generation. Scratch
 * memory of a sparse model's workspace.
 */
final class KeySet {
  private final int[] stamp;
  private int generation = 1;
  private int[] keys = new int[64];
  private int size;

  KeySet(int keyCount) {
    this.stamp = new int[keyCount];
  }

  /** Forgets every key. */
  void clear() {
    size = 0;
    if (++generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamp, 0);
      generation = 1;
    }
  }

  void add(int key) {
    if (stamp[key] != generation) {
      stamp[key] = generation;
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, 2 * size);
      }
      keys[size++] = key;
    }
  }

  int size() {
    return size;
  }

  int get(int i) {
    return keys[i];
  }
}
