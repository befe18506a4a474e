package io.sparkps.core.data;

import java.util.Arrays;

/**
 * Per-feature standardization {@code x' = (x - mean) / scale}, fitted once on training data and
 * stored with the model, so prediction applies exactly what training saw. A constant feature gets
 * scale 1, so it maps to 0 instead of dividing by zero.
 */
public record Standardizer(double[] mean, double[] scale) implements java.io.Serializable {

  public Standardizer {
    if (mean.length != scale.length) {
      throw new IllegalArgumentException("mean has " + mean.length + " features, scale has "
          + scale.length);
    }
    for (int j = 0; j < scale.length; j++) {
      if (!(scale[j] > 0) || !Double.isFinite(scale[j]) || !Double.isFinite(mean[j])) {
        throw new IllegalArgumentException("feature " + j + " has mean " + mean[j] + " and scale "
            + scale[j] + "; the scale must be a positive finite number");
      }
    }
  }

  /** The standardization that changes nothing. */
  public static Standardizer identity(int features) {
    double[] one = new double[features];
    Arrays.fill(one, 1.0);
    return new Standardizer(new double[features], one);
  }

  /** Fits mean and population standard deviation of every column of {@code block}. */
  public static Standardizer fit(ExampleBlock block) {
    int d = block.cols();
    double[] sum = new double[d];
    double[] sumSq = new double[d];
    float[] x = block.features();
    for (int i = 0; i < block.rows(); i++) {
      for (int j = 0; j < d; j++) {
        double v = x[i * d + j];
        sum[j] += v;
        sumSq[j] += v * v;
      }
    }
    return fromMoments(block.rows(), sum, sumSq);
  }

  /** Builds the standardizer from counts and sums (as a distributed pass gathers them). */
  public static Standardizer fromMoments(long n, double[] sum, double[] sumSq) {
    if (n < 1) {
      throw new IllegalArgumentException("cannot standardize an empty dataset");
    }
    double[] mean = new double[sum.length];
    double[] scale = new double[sum.length];
    for (int j = 0; j < sum.length; j++) {
      mean[j] = sum[j] / n;
      double var = Math.max(0, sumSq[j] / n - mean[j] * mean[j]);
      double sd = Math.sqrt(var);
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1.0;
    }
    return new Standardizer(mean, scale);
  }

  public int features() {
    return mean.length;
  }

  public boolean isIdentity() {
    for (int j = 0; j < mean.length; j++) {
      if (mean[j] != 0 || scale[j] != 1) {
        return false;
      }
    }
    return true;
  }

  /** Standardizes the features of {@code block} in place. */
  public void applyInPlace(ExampleBlock block) {
    if (block.cols() != mean.length) {
      throw new IllegalArgumentException("data has " + block.cols()
          + " features but the standardizer was fitted on " + mean.length);
    }
    int d = mean.length;
    float[] x = block.features();
    for (int i = 0; i < block.rows(); i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) ((x[i * d + j] - mean[j]) / scale[j]);
      }
    }
  }
}
