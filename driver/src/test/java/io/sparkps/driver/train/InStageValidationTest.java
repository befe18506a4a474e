package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.ReferenceTrainer;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.SparkEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A synchronous run scores its validation rows inside its barrier stages ({@link PartStage}):
 * the convergence checks' losses and the epochs' metrics must be the ones the separate Spark
 * jobs give on the same parameters, and the run must start no other job.
 */
class InStageValidationTest {
  private static final String BACKEND = "cpu";
  private static JavaSparkContext sc;
  private static JavaRDD<ExampleBlock> train;
  private static JavaRDD<ExampleBlock> validation;

  @BeforeAll
  static void start() {
    sc = JavaSparkContext.fromSparkContext(
        io.sparkps.driver.data.SparkTestSession.get().sparkContext());
    ExampleBlock all = TestData.digits().block();
    Standardizer.fit(all).applyInPlace(all);
    train = sc.parallelize(List.of(rows(all, 0, 600), rows(all, 600, 1400)), 2).cache();
    validation = sc.parallelize(List.of(rows(all, 1400, 1600), rows(all, 1600, 1797)), 2)
        .cache();
  }

  private static ExampleBlock rows(ExampleBlock all, int from, int to) {
    return all.select(IntStream.range(from, to).toArray());
  }

  private record Seen(EpochStats stats, float[] params) {
  }

  private static DistributedTrainer.Result fit(TrainingConfig cfg, List<Seen> seen,
      String group) {
    ModelSpec spec = ModelSpec.softmax(64, 10);
    float[] start = new ReferenceTrainer(spec.build(), cfg).initialParams();
    sc.setJobGroup(group, group, false);
    try {
      return new DistributedTrainer(sc, RuntimeSettings.embedded(2).withBackend(BACKEND))
          .withPartitionRows(new int[] {600, 800}).withValidationRows(397)
          .fit(train, validation, spec, cfg, start,
              (stats, params) -> seen.add(new Seen(stats, params.clone())),
              RoundProgress.NONE, java.util.Optional.empty());
    } finally {
      sc.clearJobGroup();
    }
  }

  /** Each epoch's validation loss and metrics equal the evaluation job's on its parameters. */
  @Test
  void epochMetricsEqualTheEvaluationJobsAndNoOtherJobRuns() {
    TrainingConfig cfg = new TrainingConfig(2, 32, Adam.of(0.01), Regularizer.NONE, 0, 21, 0, 0,
        1).withConvergence(0.001, 400); // 1400 rows: 4 parts an epoch, a check after each
    assertEquals(4, cfg.checksPerEpoch(1400));
    List<Seen> seen = new ArrayList<>();
    DistributedTrainer.Result r = fit(cfg, seen, "in-stage-epochs");
    // the 8 stages only: no job for the 6 checks nor for the 2 epochs' evaluations
    assertEquals(8, sc.statusTracker().getJobIdsForGroup("in-stage-epochs").length);
    assertEquals(2, seen.size());
    ModelSpec spec = ModelSpec.softmax(64, 10);
    for (Seen s : seen) {
      Map<String, Double> job = SparkEvaluation.evaluate(validation, spec, s.params(), BACKEND);
      assertEquals(job.keySet(), s.stats().validationMetrics().keySet());
      for (String k : job.keySet()) {
        assertEquals(job.get(k), s.stats().validationMetrics().get(k), 1e-12, k);
      }
      assertEquals(job.get("logLoss"), s.stats().validationLoss(), 1e-12);
    }
    assertEquals(2, r.history().size());
  }

  /**
   * The final metrics of both sets come from one job and equal the two evaluation jobs'; a
   * classifier and a regression alike.
   */
  @Test
  void finalMetricsOfBothSetsInOneJobEqualTheEvaluationJobs() {
    ModelSpec softmax = ModelSpec.softmax(64, 10);
    ModelSpec linear = ModelSpec.linear(64, new io.sparkps.core.model.Loss.SquaredError());
    for (ModelSpec spec : List.of(softmax, linear)) {
      float[] params = new ReferenceTrainer(spec.build(), new TrainingConfig(1, 32,
          Adam.of(0.01), Regularizer.NONE, 0, 23, 0, 0)).initialParams();
      String group = "final-metrics-" + spec.name();
      sc.setJobGroup(group, group, false);
      FinalMetrics m;
      try {
        m = FinalMetrics.of(train, validation, 397, spec, params);
      } finally {
        sc.clearJobGroup();
      }
      assertEquals(1, sc.statusTracker().getJobIdsForGroup(group).length);
      assertSameMetrics(SparkEvaluation.evaluate(train, spec, params), m.train());
      assertSameMetrics(SparkEvaluation.evaluate(validation, spec, params), m.validation());
    }
  }

  private static void assertSameMetrics(Map<String, Double> expected, Map<String, Double> got) {
    assertEquals(expected.keySet(), got.keySet());
    for (String k : expected.keySet()) {
      assertEquals(expected.get(k), got.get(k), 1e-9 * Math.max(1, Math.abs(expected.get(k))),
          k);
    }
  }

  /**
   * A check within an epoch takes the loss its stage scored: the one the separate loss job gives
   * on the same parameters; the run stops there and keeps the best check's parameters.
   */
  @Test
  void aCheckWithinAnEpochScoresAsTheLossJobDoes() {
    TrainingConfig cfg = new TrainingConfig(3, 32, Adam.of(0.01), Regularizer.NONE, 0, 22, 0, 1,
        1).withConvergence(0.95, 400); // no check improves by 95%: the second one stops the run
    List<Seen> seen = new ArrayList<>();
    DistributedTrainer.Result r = fit(cfg, seen, "in-stage-check");
    assertEquals(2, sc.statusTracker().getJobIdsForGroup("in-stage-check").length);
    assertTrue(r.stoppedEarly());
    assertEquals(1, seen.size());
    Seen s = seen.get(0);
    DistributedTrainer trainer = new DistributedTrainer(sc, RuntimeSettings.embedded(2));
    double job = trainer.meanLoss(validation, ModelSpec.softmax(64, 10), s.params(), BACKEND);
    assertEquals(job, s.stats().validationLoss(), 1e-12);
    assertTrue(r.stopReason().startsWith("converged: the validation loss did not improve by a "
        + "relative 0.95 (--tol) in 1 check after its best"), r.stopReason());
    // the parameters kept are the best check's: they score no worse than the last check's
    double kept = trainer.meanLoss(validation, ModelSpec.softmax(64, 10), r.params(), BACKEND);
    assertTrue(kept <= job + 1e-12, kept + " against the last check's " + job);
    assertEquals(r.history().get(0).validationLoss(), job, 1e-12);
  }
}
