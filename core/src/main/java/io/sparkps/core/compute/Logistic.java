package io.sparkps.core.compute;

/**
 * The logistic function and the binary log loss on one logit, in the one form every backend's
 * scalar code uses ({@link ComputeBackend#logLoss}'s default, the model's sigmoid activation and
 * log loss).
 */
public final class Logistic {
  private Logistic() {
  }

  /** {@code 1 / (1 + e^-z)}, without overflow for large {@code |z|}. */
  public static float sigmoid(float z) {
    if (z >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    double e = Math.exp(z);
    return (float) (e / (1.0 + e));
  }

  /**
   * The log loss {@code log(1 + e^s) - y s} of logit {@code s} against label {@code y} (0 or 1),
   * computed without overflow; writes {@code dLoss/ds = sigmoid(s) - y} to {@code delta[doff]}.
   */
  public static double lossAndDelta(float s, float y, float[] delta, int doff) {
    double softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    delta[doff] = sigmoid(s) - y;
    return softplus - y * (double) s;
  }
}
