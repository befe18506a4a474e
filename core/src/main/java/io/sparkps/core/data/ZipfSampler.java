package io.sparkps.core.data;

import java.util.SplittableRandom;

/**
 * Draws ranks {@code 1..n} with probability proportional to {@code 1 / k^s} (a Zipf
 * distribution) in constant expected time, by rejection-inversion: W. Hörmann and G. Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete distributions", ACM
 * Transactions on Modeling and Computer Simulation 6(3), 1996, pp. 169-184. The continuous hat
 * function {@code h(x) = x^-s} is integrated and inverted in closed form; a draw is accepted
 * unless it falls in the thin gap between the hat's integral and the point mass, which happens
 * rarely (fewer than 1.1 uniforms per draw for the exponents used here). It needs no table, so a
 * vocabulary of 10^6 values costs as little as one of 4.
 *
 * <p>Bit-for-bit reproducible on any JDK: only {@link StrictMath} and the uniforms of the
 * {@link SplittableRandom} passed in. Immutable and thread-safe.
 */
public final class ZipfSampler {
  private final int n;
  private final double exponent;
  private final double hIntegralX1;
  private final double hIntegralN;
  private final double squeeze;

  private ZipfSampler(int n, double exponent, double hIntegralX1, double hIntegralN,
      double squeeze) {
    this.n = n;
    this.exponent = exponent;
    this.hIntegralX1 = hIntegralX1;
    this.hIntegralN = hIntegralN;
    this.squeeze = squeeze;
  }

  /**
   * A sampler of ranks {@code 1..n} with exponent {@code s}.
   *
   * @param n the number of ranks, at least 1
   * @param s the exponent, a positive number
   */
  public static ZipfSampler of(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("a Zipf distribution needs at least 1 value, got " + n);
    }
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("the Zipf exponent must be a positive number, got " + s);
    }
    double x1 = hIntegral(1.5, s) - 1.0;
    double xn = hIntegral(n + 0.5, s);
    double squeeze = 2 - hIntegralInverse(hIntegral(2.5, s) - h(2, s), s);
    return new ZipfSampler(n, s, x1, xn, squeeze);
  }

  /** The number of ranks. */
  public int n() {
    return n;
  }

  /** The exponent {@code s}. */
  public double exponent() {
    return exponent;
  }

  /** The next rank, in {@code [1, n]}. */
  public int sample(SplittableRandom rng) {
    while (true) {
      double u = hIntegralN + rng.nextDouble() * (hIntegralX1 - hIntegralN);
      double x = hIntegralInverse(u, exponent);
      int k = (int) (x + 0.5);
      if (k < 1) {
        k = 1;
      } else if (k > n) {
        k = n;
      }
      if (k - x <= squeeze || u >= hIntegral(k + 0.5, exponent) - h(k, exponent)) {
        return k;
      }
    }
  }

  /** The exact probability of rank {@code k}: {@code k^-s / sum_j j^-s} (an O(n) sum). */
  public double probability(int k) {
    double sum = 0;
    for (int j = n; j >= 1; j--) {
      sum += h(j, exponent);
    }
    return h(k, exponent) / sum;
  }

  private static double h(double x, double s) {
    return StrictMath.exp(-s * StrictMath.log(x));
  }

  /** {@code H(x) = (x^(1-s) - 1) / (1 - s)}, or {@code log x} at {@code s = 1}. */
  private static double hIntegral(double x, double s) {
    double logX = StrictMath.log(x);
    return expm1OverX((1 - s) * logX) * logX;
  }

  private static double hIntegralInverse(double x, double s) {
    double t = x * (1 - s);
    if (t < -1) {
      t = -1; // guards against rounding below the domain of log1p
    }
    return StrictMath.exp(log1pOverX(t) * x);
  }

  /** {@code log(1 + x) / x}, with its series near 0. */
  private static double log1pOverX(double x) {
    if (Math.abs(x) > 1e-8) {
      return StrictMath.log1p(x) / x;
    }
    return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
  }

  /** {@code (exp(x) - 1) / x}, with its series near 0. */
  private static double expm1OverX(double x) {
    if (Math.abs(x) > 1e-8) {
      return StrictMath.expm1(x) / x;
    }
    return 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
  }
}
