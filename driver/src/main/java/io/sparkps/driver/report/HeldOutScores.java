package io.sparkps.driver.report;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * A model's outputs on held-out rows, gathered on the driver for the report's curves: the label
 * and the model's outputs ({@code k} per row: P(y=1) for a binary classifier, one probability
 * per class for softmax, the prediction for regression). At most {@link #MAX_ROWS} rows come to
 * the driver, every {@code stride}-th of each partition; the metrics ({@code metrics}) are
 * computed on all rows, in Spark.
 *
 * @param task what the model predicts
 * @param classes class names (empty for regression)
 * @param k outputs per row
 * @param labels each gathered row's label (class index, 0/1 or target)
 * @param outputs row-major {@code labels.length x k} outputs
 * @param rows held-out rows in all
 * @param metrics the metrics on all held-out rows, as {@code evaluate --json} prints them
 */
public record HeldOutScores(Task task, List<String> classes, int k, float[] labels,
    float[] outputs, long rows, Map<String, Double> metrics) {

  /** The most rows gathered on the driver. */
  public static final int MAX_ROWS = 200_000;

  /** The scores of {@code params} on {@code blocks}; {@code rows} is their count. */
  public static HeldOutScores score(JavaRDD<Block> blocks, long rows, ModelSpec spec,
      float[] params, List<String> classes, Map<String, Double> metrics) {
    int stride = (int) Math.max(1, (rows + MAX_ROWS - 1) / MAX_ROWS);
    int k = spec.build().outputs();
    List<float[][]> parts = blocks.mapPartitions(it -> {
      Model model = spec.build();
      List<float[][]> out = new ArrayList<>();
      it.forEachRemaining(b -> out.add(scoreBlock(model, params, b, stride)));
      return out.iterator();
    }).collect();
    int n = parts.stream().mapToInt(p -> p[0].length).sum();
    float[] labels = new float[n];
    float[] outputs = new float[n * k];
    int at = 0;
    for (float[][] p : parts) {
      System.arraycopy(p[0], 0, labels, at, p[0].length);
      System.arraycopy(p[1], 0, outputs, at * k, p[1].length);
      at += p[0].length;
    }
    return new HeldOutScores(spec.task(), List.copyOf(classes), k, labels, outputs, rows,
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics)));
  }

  private static float[][] scoreBlock(Model model, float[] params, Block b, int stride) {
    int k = model.outputs();
    int chunk = 4096;
    Model.Workspace ws = model.newWorkspace(chunk);
    float[] out = new float[chunk * k];
    int kept = (b.rows() + stride - 1) / stride;
    float[] labels = new float[kept];
    float[] outputs = new float[kept * k];
    int j = 0;
    for (int from = 0; from < b.rows(); from += chunk) {
      int to = Math.min(b.rows(), from + chunk);
      model.predict(params, b, from, to, out, ws);
      for (int i = from; i < to; i++) {
        if (i % stride == 0) {
          labels[j] = b.labels()[i];
          System.arraycopy(out, (i - from) * k, outputs, j * k, k);
          j++;
        }
      }
    }
    return new float[][] {labels, outputs};
  }

  /** Rows gathered on the driver. */
  public int gathered() {
    return labels.length;
  }

  /** The score of class {@code c} for every gathered row (P(y=1) for a binary model). */
  public float[] scores(int c) {
    float[] s = new float[labels.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = k == 1 ? (c == 1 ? outputs[i] : 1 - outputs[i]) : outputs[i * k + c];
    }
    return s;
  }

  /** 1 where the row's label is class {@code c}, else 0. */
  public float[] isClass(int c) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.round(labels[i]) == c ? 1f : 0f;
    }
    return y;
  }
}
