package io.sparkps.ps.keyed;

/**
 * FTRL-Proximal per coordinate (McMahan et al., "Ad Click Prediction: a View from the
 * Trenches", KDD 2013, Algorithm 1), with L1 {@code l1} and L2 {@code l2}. For a gradient
 * {@code g} of a coordinate with state {@code (z, n)} and current weight {@code w}:
 *
 * <pre>
 *   sigma = (sqrt(n + g^2) - sqrt(n)) / alpha
 *   z = z + g - sigma * w
 *   n = n + g^2
 *   w = 0                                                   if |z| &lt;= l1
 *   w = -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)  otherwise
 * </pre>
 *
 * <p>Exact zeros are not stored: the record holds only {@code z} and {@code n} (2 floats per
 * coordinate) and the weights are derived from them when read, so a coordinate whose {@code |z|}
 * is within {@code l1} is exactly 0 at no cost, and a model file written from the table can skip
 * keys whose row is all zeros. L1 and L2 act only when a key is pushed (lazily), as the paper's
 * per-coordinate form does. A non-zero initial weight {@code w0} (factors of a factorization
 * machine) is encoded as {@code z = -w0 * (beta / alpha + l2) - sign(w0) * l1, n = 0}, the state
 * from which the formula gives back {@code w0}.
 *
 * <p>Record: {@code width} values of {@code z}, then {@code width} values of {@code n}.
 */
public record Ftrl(double alpha, double beta, double l1, double l2) implements SparseOptimizer {

  public Ftrl {
    SparseOptimizer.positive("FTRL alpha", alpha, "the paper's examples use 0.05 to 0.1");
    SparseOptimizer.nonNegative("FTRL beta", beta, "the paper uses 1");
    SparseOptimizer.nonNegative("FTRL L1", l1, "use 0 for none, about 1 for sparse models");
    SparseOptimizer.nonNegative("FTRL L2", l2, "use 0 for none");
  }

  @Override
  public int recordFloats(int width) {
    return 2 * width;
  }

  @Override
  public void create(float[] weights, int wOff, float[] record, int off, int width) {
    for (int i = 0; i < width; i++) {
      double w0 = weights[wOff + i];
      record[off + i] = (float) (-w0 * (beta / alpha + l2) - Math.signum(w0) * l1);
      record[off + width + i] = 0f;
    }
  }

  @Override
  public void update(float[] record, int off, float[] grad, int gOff, int width) {
    for (int i = 0; i < width; i++) {
      double z = record[off + i];
      double n = record[off + width + i];
      double g = grad[gOff + i];
      double w = weight(z, n);
      double n2 = n + g * g;
      double sigma = (Math.sqrt(n2) - Math.sqrt(n)) / alpha;
      record[off + i] = (float) (z + g - sigma * w);
      record[off + width + i] = (float) n2;
    }
  }

  /**
   * Moves each coordinate's weight by the delta: the new weight {@code w' = w + d} is encoded
   * with the coordinate's {@code n} kept, {@code z = -w' * ((beta + sqrt(n)) / alpha + l2) -
   * sign(w') * l1} (the state from which {@link #weight} gives back {@code w'}, as
   * {@link #create} does with {@code n = 0}).
   */
  @Override
  public void addToWeights(float[] record, int off, float[] delta, int dOff, int width) {
    for (int i = 0; i < width; i++) {
      double n = record[off + width + i];
      double w = weight(record[off + i], n) + delta[dOff + i];
      record[off + i] = (float) (-w * ((beta + Math.sqrt(n)) / alpha + l2) - Math.signum(w) * l1);
    }
  }

  @Override
  public void weights(float[] record, int off, int width, float[] out, int outOff) {
    for (int i = 0; i < width; i++) {
      out[outOff + i] = (float) weight(record[off + i], record[off + width + i]);
    }
  }

  /** The weight of a coordinate with state {@code (z, n)}: exactly 0 when {@code |z| <= l1}. */
  double weight(double z, double n) {
    if (Math.abs(z) <= l1) {
      return 0;
    }
    return -(z - Math.signum(z) * l1) / ((beta + Math.sqrt(n)) / alpha + l2);
  }
}
