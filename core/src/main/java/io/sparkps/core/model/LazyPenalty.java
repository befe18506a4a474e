package io.sparkps.core.model;

/**
 * The end of a sparse minibatch's gradient ({@link Model#finishGradient}): scale the rows of the
 * touched keys and the dense tail by {@code factor}, and add the elastic-net gradient
 * {@code l1 * sign(w) + l2 * w} to every float of the touched rows (all of a key's floats are
 * weights). O(touched keys x row width + tail).
 */
final class LazyPenalty {
  private LazyPenalty() {
  }

  /** Returns the penalty {@code l1 |w| + l2 / 2 w^2} summed over the touched rows. */
  static double finishRows(float[] params, float[] grad, float factor, Regularizer reg,
      KeySet touched, int rowWidth, int tailFrom, int tailTo) {
    double penalty = 0;
    boolean none = reg.isNone();
    for (int t = 0; t < touched.size(); t++) {
      int off = touched.get(t) * rowWidth;
      for (int i = off; i < off + rowWidth; i++) {
        grad[i] *= factor;
        if (!none) {
          double w = params[i];
          penalty += reg.l1() * Math.abs(w) + 0.5 * reg.l2() * w * w;
          grad[i] += (float) (reg.l1() * Math.signum(w) + reg.l2() * w);
        }
      }
    }
    for (int i = tailFrom; i < tailTo; i++) {
      grad[i] *= factor;
    }
    return penalty;
  }

  /**
   * A per-key, per-slot standard normal (Box-Muller over two hashed uniforms) that depends only on
   * the seed, the key and the slot: not on the order in which keys are touched, nor on how keys
   * are sharded, so any process that creates a key's row creates the same one.
   */
  static double gaussian(long seed, long key, int slot) {
    long s = mix(seed ^ mix(key * 0x9E3779B97F4A7C15L + slot));
    double u1 = (mix(s) >>> 11) * 0x1.0p-53;
    double u2 = (mix(s + 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    return StrictMath.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
  }

  /** Stafford's variant 13 of the 64-bit finalizer of MurmurHash3. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
