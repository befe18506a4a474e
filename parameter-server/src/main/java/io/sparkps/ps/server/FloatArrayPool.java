package io.sparkps.ps.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses the shard-sized float arrays pushes are decoded into, so a round of large pushes does not
 * allocate (and zero) a fresh array per push. Arrays come back with stale contents. Thread-safe.
 */
final class FloatArrayPool {
  private final int length;
  private final int capacity;
  private final ConcurrentLinkedQueue<float[]> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  FloatArrayPool(int length, int capacity) {
    this.length = length;
    this.capacity = capacity;
  }

  /** An array of the shard's length; its contents are arbitrary. */
  float[] take() {
    float[] a = free.poll();
    if (a == null) {
      return new float[length];
    }
    size.decrementAndGet();
    return a;
  }

  /** Returns an array for reuse; arrays of another length, or beyond capacity, are dropped. */
  void give(float[] a) {
    if (a.length == length && size.incrementAndGet() <= capacity) {
      free.offer(a);
    } else if (a.length == length) {
      size.decrementAndGet();
    }
  }
}
