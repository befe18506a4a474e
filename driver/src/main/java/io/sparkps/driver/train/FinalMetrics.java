package io.sparkps.driver.train;

import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.data.Block;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.driver.data.SparkEvaluation;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.HeldOutScore;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A trained model's metrics on its training and validation rows, in one Spark job: each
 * partition scores its training and its validation block (the zip of the two cached RDDs, which
 * the loader partitions alike) and returns both mergeable statistics, which the driver merges in
 * partition order. The same numbers as {@link SparkEvaluation#evaluate} on each set, up to the
 * order of floating-point sums, for one job instead of two (some tens of milliseconds).
 *
 * @param train the metrics on the training rows
 * @param validation the metrics on the validation rows, empty without any
 */
public record FinalMetrics(Map<String, Double> train, Map<String, Double> validation) {

  /**
   * The metrics of {@code params} on {@code train} and, if it has rows ({@code validationRows}
   * of them), on {@code validation}; with other partitions than the training data's, the
   * validation rows are scored by a job of their own.
   */
  public static FinalMetrics of(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      long validationRows, ModelSpec spec, float[] params) {
    if (validationRows == 0) {
      return new FinalMetrics(SparkEvaluation.evaluate(train, spec, params), Map.of());
    }
    if (train.getNumPartitions() != validation.getNumPartitions()) {
      return new FinalMetrics(SparkEvaluation.evaluate(train, spec, params),
          SparkEvaluation.evaluate(validation, spec, params));
    }
    SparkEvaluation.checkParameters(spec, params);
    Broadcast<float[]> bc = JavaSparkContext.fromSparkContext(train.context()).broadcast(params);
    try {
      List<HeldOutScore.Metrics[]> parts = BarrierEpoch.widen(train).zipPartitions(
          BarrierEpoch.widen(validation), (t, v) -> {
            Model model = spec.build(ComputeBackends.byName("cpu"));
            return List.<HeldOutScore.Metrics[]>of(new HeldOutScore.Metrics[] {scored(model, bc.value(), t),
                scored(model, bc.value(), v)}).iterator();
          }).collect();
      Model model = spec.build();
      HeldOutScore.Metrics trained = HeldOutScore.emptyMetrics(model);
      HeldOutScore.Metrics held = HeldOutScore.emptyMetrics(model);
      for (HeldOutScore.Metrics[] p : parts) {
        HeldOutScore.merge(trained, p[0]);
        HeldOutScore.merge(held, p[1]);
      }
      return new FinalMetrics(HeldOutScore.toMap(trained), HeldOutScore.toMap(held));
    } finally {
      bc.destroy(false);
    }
  }

  /** The statistics of every block of a partition, merged. */
  private static HeldOutScore.Metrics scored(Model model, float[] params,
      java.util.Iterator<Block> blocks) {
    HeldOutScore.Metrics m = HeldOutScore.emptyMetrics(model);
    blocks.forEachRemaining(b -> HeldOutScore.merge(m, HeldOutScore.metrics(model, params, b)));
    return m;
  }
}
