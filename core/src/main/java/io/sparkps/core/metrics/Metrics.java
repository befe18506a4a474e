package io.sparkps.core.metrics;

import java.util.Arrays;

/**
 * Exact metrics as pure functions over arrays. Sums accumulate in {@code double}. Every function
 * checks that there is one prediction per label and at least one example.
 */
public final class Metrics {

  /** Probabilities are clipped to {@code [EPSILON, 1 - EPSILON]} before taking logarithms. */
  public static final double EPSILON = 1e-15;

  private Metrics() {
  }

  /** Share of rows whose predicted class equals the label (0/1 or class index). */
  public static double accuracy(float[] labels, int[] predicted) {
    Labels.checkSameLength(labels.length, predicted.length, "predicted classes");
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == predicted[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }

  /**
   * The predicted class of each row of a row-major {@code n x k} probability matrix: the first
   * largest column for {@code k >= 2}; for {@code k = 1} the column is P(y=1) and the class is 1
   * when it is at least 0.5.
   */
  public static int[] predictedClasses(float[] probabilities, int k) {
    if (k < 1 || probabilities.length % k != 0) {
      throw new IllegalArgumentException("a probability matrix of " + probabilities.length
          + " values cannot have " + k + " columns; pass k >= 1 that divides the length");
    }
    int n = probabilities.length / k;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = k == 1 ? (probabilities[i] >= 0.5f ? 1 : 0) : argmax(probabilities, i * k, k);
    }
    return out;
  }

  static int argmax(float[] values, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (values[off + j] > values[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** {@code p} clipped to {@code [EPSILON, 1 - EPSILON]}. */
  public static double clip(double p) {
    return Math.min(1 - EPSILON, Math.max(EPSILON, p));
  }

  /** Mean binary log loss; {@code probOne[i]} is P(y=1) of row {@code i}, labels are 0 or 1. */
  public static double logLoss(float[] labels, float[] probOne) {
    Labels.checkSameLength(labels.length, probOne.length, "probabilities");
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = clip(Labels.probability(probOne[i], i));
      sum -= Labels.binary(labels[i], i) == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / labels.length;
  }

  /**
   * Mean multiclass log loss (cross entropy) of a row-major {@code n x k} probability matrix;
   * labels are class indices.
   */
  public static double logLoss(float[] labels, float[] probabilities, int k) {
    Labels.checkClasses(k);
    Labels.checkSameLength(labels.length * k, probabilities.length, "probabilities (n x " + k + ")");
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      int y = Labels.classIndex(labels[i], k, i);
      sum -= Math.log(clip(Labels.probability(probabilities[i * k + y], i)));
    }
    return sum / labels.length;
  }

  /**
   * Exact area under the ROC curve of binary labels and scores (any monotone score works, not
   * only probabilities): the Mann-Whitney statistic, the probability that a random positive
   * scores above a random negative, ties counting one half (Hanley and McNeil, 1982). Sorts both
   * classes, so it costs {@code O(n log n)}. Returns NaN when only one class is present.
   */
  public static double auc(float[] labels, float[] scores) {
    Labels.checkSameLength(labels.length, scores.length, "scores");
    int positives = 0;
    for (int i = 0; i < labels.length; i++) {
      positives += Labels.binary(labels[i], i);
    }
    float[] pos = new float[positives];
    float[] neg = new float[labels.length - positives];
    for (int i = 0, p = 0, q = 0; i < labels.length; i++) {
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("score of row " + i + " is NaN; AUC needs "
            + "comparable scores, so check the model for diverged parameters");
      }
      if (labels[i] == 1f) {
        pos[p++] = scores[i];
      } else {
        neg[q++] = scores[i];
      }
    }
    if (pos.length == 0 || neg.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    double wins = 0;
    int below = 0;
    int notAbove = 0;
    for (float s : pos) {
      while (below < neg.length && neg[below] < s) {
        below++;
      }
      while (notAbove < neg.length && neg[notAbove] <= s) {
        notAbove++;
      }
      wins += below + 0.5 * (notAbove - below);
    }
    return wins / ((double) pos.length * neg.length);
  }

  /** {@code k x k} counts; row = true class, column = predicted class. */
  public static long[][] confusionMatrix(float[] labels, int[] predicted, int k) {
    Labels.checkClasses(k);
    Labels.checkSameLength(labels.length, predicted.length, "predicted classes");
    long[][] m = new long[k][k];
    for (int i = 0; i < labels.length; i++) {
      int y = Labels.classIndex(labels[i], k, i);
      if (predicted[i] < 0 || predicted[i] >= k) {
        throw new IllegalArgumentException("predicted class of row " + i + " must be in [0, "
            + (k - 1) + "], got " + predicted[i]);
      }
      m[y][predicted[i]]++;
    }
    return m;
  }

  /** Root mean squared error. */
  public static double rmse(float[] labels, float[] predictions) {
    Labels.checkSameLength(labels.length, predictions.length, "predictions");
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double r = (double) predictions[i] - labels[i];
      sum += r * r;
    }
    return Math.sqrt(sum / labels.length);
  }

  /** Mean absolute error. */
  public static double mae(float[] labels, float[] predictions) {
    Labels.checkSameLength(labels.length, predictions.length, "predictions");
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += Math.abs((double) predictions[i] - labels[i]);
    }
    return sum / labels.length;
  }

  /**
   * Coefficient of determination {@code 1 - SSres / SStot}, two passes in double. NaN when the
   * labels are constant ({@code SStot = 0}), where R&sup2; is undefined.
   */
  public static double r2(float[] labels, float[] predictions) {
    Labels.checkSameLength(labels.length, predictions.length, "predictions");
    double mean = 0;
    for (float y : labels) {
      mean += y;
    }
    mean /= labels.length;
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < labels.length; i++) {
      double r = (double) labels[i] - predictions[i];
      double d = labels[i] - mean;
      ssRes += r * r;
      ssTot += d * d;
    }
    return ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
  }
}
