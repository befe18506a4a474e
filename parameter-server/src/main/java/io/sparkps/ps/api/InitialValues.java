package io.sparkps.ps.api;

/** Where the parameters of a new job start. */
public sealed interface InitialValues {

  /** All zeros. */
  record Zeros() implements InitialValues {}

  /**
   * Uniform in [-scale, scale], a pure function of (seed, global index), so the values do not
   * depend on how the vector is sharded.
   */
  record Seeded(long seed, float scale) implements InitialValues {
    public Seeded {
      if (!(scale >= 0f) || Float.isInfinite(scale)) {
        throw new IllegalArgumentException("initial scale must be finite and at least 0, got "
            + scale + ".");
      }
    }

    /** The value of parameter {@code index}: a SplitMix64 hash of (seed, index). */
    public float valueAt(long index) {
      long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      double unit = (z >>> 11) * 0x1.0p-53;
      return (float) ((2.0 * unit - 1.0) * scale);
    }
  }

  /** Explicit values, one per parameter (for example a model's own initialisation). */
  record Values(float[] values) implements InitialValues {
    public Values {
      if (values == null) {
        throw new IllegalArgumentException("initial values are required.");
      }
    }
  }
}
