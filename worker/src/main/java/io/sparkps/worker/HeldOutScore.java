package io.sparkps.worker;

import io.sparkps.core.data.Block;
import io.sparkps.core.metrics.ClassificationStats;
import io.sparkps.core.metrics.ModelEvaluator;
import io.sparkps.core.metrics.RegressionStats;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import java.io.Serializable;

/**
 * One partition's score of a stage's final parameters on its validation block, computed by the
 * barrier task that trained the stage ({@link BarrierEpoch#runScored}): the driver merges the
 * partitions' scores instead of running a Spark job of its own for the convergence check and the
 * epoch's metrics. The loss is computed as the driver's separate job computes it (the block's
 * mean objective loss without regularization, in chunks of {@value #CHUNK} rows, times its rows),
 * so both give the same number for the same parameters.
 *
 * @param lossSum the block's mean loss times its rows (0 for a block of no rows)
 * @param rows the block's rows
 * @param metrics the block's mergeable metrics, when the stage ends an epoch
 */
public record HeldOutScore(double lossSum, long rows, Metrics metrics) implements Serializable {

  /** Rows a chunk of the loss holds, as in the driver's separate loss job. */
  public static final int CHUNK = 4096;

  /** A score's metrics: none (a check within an epoch) or the task's mergeable statistics. */
  public sealed interface Metrics extends Serializable {
  }

  /** No metrics: the stage does not end an epoch. */
  public record NoMetrics() implements Metrics {
  }

  /** A classifier's statistics (accuracy, log loss, binary AUC), merged across partitions. */
  public record Classification(ClassificationStats stats) implements Metrics {
  }

  /** A regression's statistics (RMSE, MAE, R^2), merged across partitions. */
  public record Regression(RegressionStats stats) implements Metrics {
  }

  /** The score of {@code params} on {@code block}, with metrics when {@code withMetrics}. */
  public static HeldOutScore of(Model model, float[] params, Block block, boolean withMetrics) {
    double mean = new Objective(model, Regularizer.NONE).meanLoss(params, block, CHUNK);
    double lossSum = block.rows() == 0 ? 0 : mean * block.rows();
    return new HeldOutScore(lossSum, block.rows(),
        withMetrics ? metrics(model, params, block) : new NoMetrics());
  }

  /** Empty statistics of the model's task, to merge partitions' statistics into. */
  public static Metrics emptyMetrics(Model model) {
    Task task = model.spec().task();
    if (task == Task.REGRESSION) {
      return new Regression(new RegressionStats());
    }
    return new Classification(task == Task.BINARY ? ClassificationStats.binary()
        : ClassificationStats.multiclass(model.spec().outputs()));
  }

  /** The mergeable metrics of {@code params} on {@code block}, of the model's task. */
  public static Metrics metrics(Model model, float[] params, Block block) {
    Metrics m = emptyMetrics(model);
    if (m instanceof Classification c) {
      ModelEvaluator.accumulateClassification(model, params, block, c.stats());
    } else if (m instanceof Regression r) {
      ModelEvaluator.accumulateRegression(model, params, block, r.stats());
    }
    return m;
  }

  /** The metrics {@code evaluate --json} prints, of everything merged into {@code m}. */
  public static java.util.Map<String, Double> toMap(Metrics m) {
    if (m instanceof Classification c) {
      return c.stats().result().toMap();
    }
    if (m instanceof Regression r) {
      return r.stats().result().toMap();
    }
    throw new IllegalArgumentException("no statistics to report: the score has no metrics");
  }

  /**
   * Folds {@code other}'s statistics into {@code into} (which must be of the same kind, as made
   * by {@link #emptyMetrics}); returns {@code into}.
   */
  public static Metrics merge(Metrics into, Metrics other) {
    if (into instanceof Classification a && other instanceof Classification b) {
      a.stats().merge(b.stats());
    } else if (into instanceof Regression a && other instanceof Regression b) {
      a.stats().merge(b.stats());
    } else if (!(other instanceof NoMetrics)) {
      throw new IllegalArgumentException("cannot merge " + other.getClass().getSimpleName()
          + " statistics into " + into.getClass().getSimpleName() + " statistics");
    }
    return into;
  }
}
