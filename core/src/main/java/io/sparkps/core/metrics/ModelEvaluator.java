package io.sparkps.core.metrics;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Task;
import java.util.Map;

/**
 * Scores a block with a model and folds the predictions into the task's accumulator: accuracy,
 * log loss and (binary) AUC for classification; RMSE, MAE and R^2 for regression. The same
 * accumulators merge across Spark partitions.
 */
public final class ModelEvaluator {
  private static final int CHUNK = 4096;

  private ModelEvaluator() {
  }

  /** The metrics of {@code params} on {@code block}, keyed as {@code evaluate --json} prints them. */
  public static Map<String, Double> evaluate(Model model, float[] params, Block block) {
    Task task = model.spec().task();
    if (task == Task.REGRESSION) {
      return accumulateRegression(model, params, block, new RegressionStats()).result().toMap();
    }
    ClassificationStats stats = task == Task.BINARY ? ClassificationStats.binary()
        : ClassificationStats.multiclass(model.outputs());
    return accumulateClassification(model, params, block, stats).result().toMap();
  }

  /** Adds the predictions for every row of {@code block} to {@code stats}. */
  public static ClassificationStats accumulateClassification(Model model, float[] params,
      Block block, ClassificationStats stats) {
    int k = model.outputs();
    Model.Workspace ws = model.newWorkspace(CHUNK);
    float[] out = new float[CHUNK * k];
    for (int from = 0; from < block.rows(); from += CHUNK) {
      int to = Math.min(block.rows(), from + CHUNK);
      model.predict(params, block, from, to, out, ws);
      for (int i = from; i < to; i++) {
        if (k == 1) {
          stats.add(block.labels()[i], out[i - from]);
        } else {
          stats.add(block.labels()[i], out, (i - from) * k);
        }
      }
    }
    return stats;
  }

  /** Adds the predictions for every row of {@code block} to {@code stats}. */
  public static RegressionStats accumulateRegression(Model model, float[] params,
      Block block, RegressionStats stats) {
    Model.Workspace ws = model.newWorkspace(CHUNK);
    float[] out = new float[CHUNK];
    for (int from = 0; from < block.rows(); from += CHUNK) {
      int to = Math.min(block.rows(), from + CHUNK);
      model.predict(params, block, from, to, out, ws);
      for (int i = from; i < to; i++) {
        stats.add(block.labels()[i], out[i - from]);
      }
    }
    return stats;
  }
}
