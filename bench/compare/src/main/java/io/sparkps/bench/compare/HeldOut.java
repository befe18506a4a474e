package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.metrics.Metrics;
import io.sparkps.core.model.Model;

/**
 * Held-out log loss, accuracy and AUC of binary predictions, computed the same way for every
 * trainer.
 */
public final class HeldOut {
  private HeldOut() {
  }

  /** Log loss and accuracy (threshold 0.5) of {@code probOne}, P(y = 1) per row. */
  public static double[] score(float[] labels, float[] probOne) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      int predicted = probOne[i] >= 0.5f ? 1 : 0;
      if (predicted == (int) labels[i]) {
        correct++;
      }
    }
    return new double[] {Metrics.logLoss(labels, probOne), (double) correct / labels.length};
  }

  /**
   * The area under the ROC curve of {@code probOne} against {@code labels} (0/1): the
   * Mann-Whitney statistic, tied scores counting one half; NaN when one class is absent.
   */
  public static double auc(float[] labels, float[] probOne) {
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(probOne[a], probOne[b]));
    double rankSumPositives = 0;
    long positives = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && probOne[order[j]] == probOne[order[i]]) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
      for (int k = i; k < j; k++) {
        if (labels[order[k]] > 0.5f) {
          rankSumPositives += midRank;
          positives++;
        }
      }
      i = j;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives
        * negatives);
  }

  /** P(y = 1) of a SparkPS binary model for every row of {@code test}. */
  public static float[] predict(Model model, float[] params, ExampleBlock test) {
    float[] out = new float[test.rows()];
    int chunk = 8192;
    Model.Workspace ws = model.newWorkspace(chunk);
    float[] buf = new float[chunk];
    for (int from = 0; from < test.rows(); from += chunk) {
      int to = Math.min(test.rows(), from + chunk);
      model.predict(params, test, from, to, buf, ws);
      System.arraycopy(buf, 0, out, from, to - from);
    }
    return out;
  }
}
