package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import io.sparkps.worker.EpochTask;
import io.sparkps.worker.HeldOutScore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaRDD;

/**
 * One part of an epoch as a barrier stage, and what it measured: the workers' reports and, where
 * the validation rows are scored in the stage ({@link BarrierEpoch#runScored}), the validation
 * loss of the parameters the part ended with and, at an epoch's end, their metrics. Scoring in
 * the stage spares the convergence check's Spark job and the epoch's evaluation job (each some
 * tens of milliseconds, a good share of a short part); it needs a synchronous run, whose tasks all
 * end with the server's parameters, and validation blocks partitioned as the training blocks.
 *
 * @param reports each partition's report, in partition order
 * @param validationLoss the validation loss of the part's final parameters, when scored in the
 *     stage
 * @param metrics their validation metrics ({@code evaluate --json}'s keys), when scored in the
 *     stage at the end of an epoch
 */
record PartStage(List<EpochReport> reports, OptionalDouble validationLoss,
    Optional<Map<String, Double>> metrics) {

  /**
   * Whether a run can score its validation rows in its stages: synchronous, with validation rows
   * partitioned as its training rows.
   */
  static boolean scoresInStage(boolean synchronous, boolean validates, JavaRDD<Block> train,
      JavaRDD<Block> validation) {
    return synchronous && validates
        && train.getNumPartitions() == validation.getNumPartitions();
  }

  /** Runs {@code job} over {@code train} without scoring (the checks score with jobs). */
  static PartStage plain(JavaRDD<Block> train, EpochJob job, Runnable whileStarting) {
    return new PartStage(BarrierEpoch.run(train, job, whileStarting), OptionalDouble.empty(),
        Optional.empty());
  }

  /**
   * Runs {@code job} over {@code train}, each task then scoring the part's final parameters on
   * its {@code validation} block; with {@code withMetrics} (an epoch's last part) their metrics
   * too.
   */
  static PartStage scored(JavaRDD<Block> train, JavaRDD<Block> validation, EpochJob job,
      boolean withMetrics, Runnable whileStarting) {
    List<EpochTask.Scored> scored = BarrierEpoch.runScored(train, validation, job, withMetrics,
        whileStarting);
    double lossSum = 0;
    long rows = 0;
    HeldOutScore.Metrics merged = HeldOutScore.emptyMetrics(job.spec().build());
    for (EpochTask.Scored s : scored) {
      lossSum += s.score().lossSum();
      rows += s.score().rows();
      HeldOutScore.merge(merged, s.score().metrics());
    }
    return new PartStage(scored.stream().map(EpochTask.Scored::report).toList(),
        rows == 0 ? OptionalDouble.of(Double.NaN) : OptionalDouble.of(lossSum / rows),
        withMetrics ? Optional.of(HeldOutScore.toMap(merged)) : Optional.empty());
  }
}
