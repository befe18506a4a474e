package io.sparkps.driver.data;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.metrics.ClassificationStats;
import io.sparkps.core.metrics.ModelEvaluator;
import io.sparkps.core.metrics.RegressionStats;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Scores a model over cached blocks where they live: each partition folds its predictions into
 * core's mergeable statistics ({@link ClassificationStats} or {@link RegressionStats}), which
 * {@code treeAggregate} merges; the parameters travel once per executor as a broadcast. The
 * metrics equal {@link ModelEvaluator#evaluate} on all rows in one process, up to the order of
 * floating-point sums.
 */
public final class SparkEvaluation {
  private SparkEvaluation() {
  }

  /** The metrics of {@code params} on {@code blocks}, keyed as {@code evaluate --json} prints. */
  public static Map<String, Double> evaluate(JavaRDD<? extends Block> blocks, ModelSpec spec,
      float[] params) {
    return evaluate(blocks, spec, params, "cpu");
  }

  /** As {@link #evaluate(JavaRDD, ModelSpec, float[])}, on the named compute backend. */
  public static Map<String, Double> evaluate(JavaRDD<? extends Block> blocks, ModelSpec spec,
      float[] params, String backend) {
    checkParameters(spec, params);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<float[]> bc = sc.broadcast(params);
    try {
      return spec.task() == Task.REGRESSION ? regression(blocks, spec, bc, backend)
          : classification(blocks, spec, bc, backend);
    } finally {
      bc.destroy(false);
    }
  }

  /** Fails unless {@code params} holds exactly the parameters of {@code spec}'s model. */
  public static void checkParameters(ModelSpec spec, float[] params) {
    int expected = spec.build().parameterCount();
    if (params.length != expected) {
      throw new IllegalArgumentException("the model " + spec.name() + " " + spec.shape() + " has " + expected
          + " parameters but " + params.length + " were given; pass the parameters of this model");
    }
  }

  /**
   * The metrics of the keyed model in the directory {@code keyedDir} (an absolute Hadoop URI) on
   * {@code blocks}: each partition opens the parts once and scores its blocks in chunks of
   * {@value #KEYED_CHUNK} rows, reading only each chunk's keys
   * ({@link io.sparkps.driver.predict.KeyedModel}).
   */
  public static Map<String, Double> evaluateKeyed(JavaRDD<? extends Block> blocks,
      ModelSpec spec, String keyedDir) {
    boolean binary = spec.task() == Task.BINARY;
    int classes = spec.outputs();
    if (spec.task() == Task.REGRESSION) {
      return blocks.mapPartitions(it -> {
        RegressionStats stats = new RegressionStats();
        keyedChunks(it, keyedDir, c -> ModelEvaluator.accumulateRegression(c.model(),
            c.params(), c.block(), stats));
        return List.of(stats).iterator();
      }).treeAggregate(new RegressionStats(), RegressionStats::merge, RegressionStats::merge)
          .result().toMap();
    }
    ClassificationStats zero = binary ? ClassificationStats.binary()
        : ClassificationStats.multiclass(classes);
    return blocks.mapPartitions(it -> {
      ClassificationStats stats = binary ? ClassificationStats.binary()
          : ClassificationStats.multiclass(classes);
      keyedChunks(it, keyedDir, c -> ModelEvaluator.accumulateClassification(c.model(),
          c.params(), c.block(), stats));
      return List.of(stats).iterator();
    }).treeAggregate(zero, ClassificationStats::merge, ClassificationStats::merge)
        .result().toMap();
  }

  /** Rows a chunk of keyed scoring holds. */
  static final int KEYED_CHUNK = 4096;

  private static void keyedChunks(java.util.Iterator<? extends Block> it, String dir,
      java.util.function.Consumer<io.sparkps.driver.predict.KeyedModel.Compact> each)
      throws java.io.IOException {
    try (io.sparkps.driver.predict.KeyedModel km = io.sparkps.driver.predict.KeyedModel.open(
        java.net.URI.create(dir), new org.apache.hadoop.conf.Configuration())) {
      while (it.hasNext()) {
        Block b = it.next();
        io.sparkps.core.data.SparseBlock sb = io.sparkps.core.model.SparseModel.sparse(b,
            km.model().keys(), km.model().spec().name());
        for (int from = 0; from < sb.rows(); from += KEYED_CHUNK) {
          each.accept(km.compact(sb, from, Math.min(sb.rows(), from + KEYED_CHUNK)));
        }
      }
    }
  }

  private static Map<String, Double> classification(JavaRDD<? extends Block> blocks,
      ModelSpec spec, Broadcast<float[]> bc, String backend) {
    boolean binary = spec.task() == Task.BINARY;
    int classes = spec.outputs();
    ClassificationStats zero = binary ? ClassificationStats.binary()
        : ClassificationStats.multiclass(classes);
    return blocks.mapPartitions(it -> {
      Model model = spec.build(ComputeBackends.byName(backend));
      ClassificationStats stats = binary ? ClassificationStats.binary()
          : ClassificationStats.multiclass(classes);
      it.forEachRemaining(b -> ModelEvaluator.accumulateClassification(model, bc.value(), b,
          stats));
      return List.of(stats).iterator();
    }).treeAggregate(zero, ClassificationStats::merge, ClassificationStats::merge)
        .result().toMap();
  }

  private static Map<String, Double> regression(JavaRDD<? extends Block> blocks, ModelSpec spec,
      Broadcast<float[]> bc, String backend) {
    return blocks.mapPartitions(it -> {
      Model model = spec.build(ComputeBackends.byName(backend));
      RegressionStats stats = new RegressionStats();
      it.forEachRemaining(b -> ModelEvaluator.accumulateRegression(model, bc.value(), b, stats));
      return List.of(stats).iterator();
    }).treeAggregate(new RegressionStats(), RegressionStats::merge, RegressionStats::merge)
        .result().toMap();
  }
}
