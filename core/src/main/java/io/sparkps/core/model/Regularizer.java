package io.sparkps.core.model;

/**
 * Elastic-net penalty on the weights (never the biases):
 * {@code l1 * |w| + l2 / 2 * w^2} summed over weights (Zou and Hastie, 2005). {@code l1 = 0} is
 * ridge (L2), {@code l2 = 0} is the lasso (L1); the L1 part uses the subgradient {@code sign(w)}.
 */
public record Regularizer(double l1, double l2) implements java.io.Serializable {
  public static final Regularizer NONE = new Regularizer(0, 0);

  public Regularizer {
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException("l1 and l2 must be non-negative numbers, got l1=" + l1
          + ", l2=" + l2);
    }
  }

  public static Regularizer l2(double l2) {
    return new Regularizer(0, l2);
  }

  public static Regularizer l1(double l1) {
    return new Regularizer(l1, 0);
  }

  /** Elastic net with total strength {@code lambda} and mixing {@code alpha} (1 = lasso). */
  public static Regularizer elasticNet(double lambda, double alpha) {
    return new Regularizer(lambda * alpha, lambda * (1 - alpha));
  }

  public boolean isNone() {
    return l1 == 0 && l2 == 0;
  }

  /** Adds the penalty's gradient over the weight ranges to {@code grad}; returns the penalty. */
  public double addTo(float[] params, float[] grad, ParameterLayout layout) {
    if (isNone()) {
      return 0;
    }
    double penalty = 0;
    for (ParameterLayout.Segment s : layout.weightSegments()) {
      for (int i = s.offset(), end = s.offset() + s.size(); i < end; i++) {
        double w = params[i];
        penalty += l1 * Math.abs(w) + 0.5 * l2 * w * w;
        grad[i] += (float) (l1 * Math.signum(w) + l2 * w);
      }
    }
    return penalty;
  }
}
