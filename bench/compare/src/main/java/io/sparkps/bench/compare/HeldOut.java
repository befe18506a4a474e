package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.metrics.Metrics;
import io.sparkps.core.model.Model;

/** Held-out log loss and accuracy of binary predictions, computed the same way for every trainer. */
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
