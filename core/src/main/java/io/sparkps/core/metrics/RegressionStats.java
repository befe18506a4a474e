package io.sparkps.core.metrics;

import java.io.Serializable;

/**
 * Mergeable accumulator of regression metrics. {@link #add} and {@link #merge} change this object
 * and return it, as Spark's {@code treeAggregate} expects of its sequence and combine operations;
 * start each partition from {@link #RegressionStats()}.
 *
 * <p>The label variance for R&sup2; is kept as a running mean and sum of squared deviations and
 * merged with the pairwise update of Chan, Golub and LeVeque (1979), not as a sum of squares:
 * {@code sum(y^2) - n mean^2} cancels catastrophically when labels sit far from zero.
 */
public final class RegressionStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private double sumAbsError;
  private double sumSquaredError;
  private double labelMean;
  private double labelM2;

  /** An empty accumulator. */
  public RegressionStats() {
  }

  /** Folds in one example. */
  public RegressionStats add(float label, float prediction) {
    double r = (double) prediction - label;
    sumAbsError += Math.abs(r);
    sumSquaredError += r * r;
    count++;
    double delta = label - labelMean;
    labelMean += delta / count;
    labelM2 += delta * (label - labelMean);
    return this;
  }

  /** Folds in {@code labels.length} examples. */
  public RegressionStats addAll(float[] labels, float[] predictions) {
    if (labels.length != predictions.length) {
      throw new IllegalArgumentException("got " + labels.length + " labels but "
          + predictions.length + " predictions; pass one prediction per label");
    }
    for (int i = 0; i < labels.length; i++) {
      add(labels[i], predictions[i]);
    }
    return this;
  }

  /** Folds in {@code other}, which is left unchanged. */
  public RegressionStats merge(RegressionStats other) {
    if (other.count == 0) {
      return this;
    }
    long n = count + other.count;
    double delta = other.labelMean - labelMean;
    labelM2 += other.labelM2 + delta * delta * ((double) count * other.count / n);
    labelMean += delta * other.count / n;
    count = n;
    sumAbsError += other.sumAbsError;
    sumSquaredError += other.sumSquaredError;
    return this;
  }

  public long count() {
    return count;
  }

  /** The metrics of everything added and merged so far. */
  public RegressionMetrics result() {
    if (count == 0) {
      throw new IllegalStateException("no examples were added, so there are no regression "
          + "metrics; evaluate on a non-empty dataset");
    }
    double r2 = labelM2 == 0 ? Double.NaN : 1 - sumSquaredError / labelM2;
    return new RegressionMetrics(count, Math.sqrt(sumSquaredError / count), sumAbsError / count, r2);
  }
}
