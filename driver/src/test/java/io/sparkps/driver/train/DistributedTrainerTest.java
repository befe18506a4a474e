package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.Sgd;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.ReferenceTrainer;
import io.sparkps.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training through Spark (local[2], a barrier stage per epoch) and a real parameter server on a
 * loopback port must give the parameters the single-process reference trainer gives on the same
 * partitions and seed.
 */
class DistributedTrainerTest {
  private static SparkSession spark;
  private static JavaSparkContext sc;
  private static List<ExampleBlock> parts;

  @BeforeAll
  static void start() {
    spark = io.sparkps.driver.data.SparkTestSession.get();
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExampleBlock all = TestData.digits().block();
    Standardizer.fit(all).applyInPlace(all);
    int cut = 700; // unequal partitions: 700 and 1097 rows
    parts = List.of(all.select(IntStream.range(0, cut).toArray()),
        all.select(IntStream.range(cut, all.rows()).toArray()));
  }

  private static JavaRDD<ExampleBlock> rdd(List<ExampleBlock> blocks) {
    return blocks.isEmpty() ? sc.emptyRDD() : sc.parallelize(blocks, blocks.size()).cache();
  }

  private static void assertSameAsReference(ModelSpec spec, TrainingConfig cfg) {
    Model model = spec.build();
    ReferenceTrainer ref = new ReferenceTrainer(model, cfg);
    float[] start = ref.initialParams();
    float[] expected = ref.fit(parts, null, start, s -> { }).params();
    List<EpochStats> epochs = new ArrayList<>();
    DistributedTrainer.Result r = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .fit(rdd(parts), rdd(List.of()), spec, cfg, start, epochs::add);
    assertEquals(cfg.epochs(), epochs.size());
    float maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - r.params()[i]));
    }
    assertTrue(maxDiff < 1e-4f, "largest parameter difference " + maxDiff);
    assertTrue(r.rounds() > 0 && r.bytesExchanged() > 0);
    double epochSeconds = epochs.stream().mapToDouble(EpochStats::seconds).sum();
    assertTrue(r.computeSeconds() > 0 && r.computeSeconds() < epochSeconds,
        "the slowest partitions' compute " + r.computeSeconds() + " s is part of the epochs' "
        + epochSeconds + " s");
  }

  @Test
  void syncGradientsMatchTheReferenceTrainer() {
    ModelSpec spec = ModelSpec.mlp(64, List.of(32), Activation.TANH, Task.MULTICLASS, 10,
        new Loss.SquaredError());
    assertSameAsReference(spec, new TrainingConfig(3, 64, Adam.of(0.01), Regularizer.l2(1e-3), 0,
        11, 0, 0));
  }

  /** Rows given by the caller (as the loader gives them) train exactly as counted ones do. */
  @Test
  void givenPartitionRowsTrainAsCountedRows() {
    ModelSpec spec = ModelSpec.softmax(64, 10);
    TrainingConfig cfg = new TrainingConfig(2, 32, Sgd.of(0.05), Regularizer.NONE, 0, 12, 0, 0, 4);
    float[] start = new ReferenceTrainer(spec.build(), cfg).initialParams();
    float[] counted = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .fit(rdd(parts), rdd(List.of()), spec, cfg, start, s -> { }).params();
    float[] given = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .withPartitionRows(new int[] {700, 1097})
        .fit(rdd(parts), rdd(List.of()), spec, cfg, start, s -> { }).params();
    org.junit.jupiter.api.Assertions.assertArrayEquals(counted, given);
  }

  @Test
  void givenRowsOfAnotherPartitionCountAreRefused() {
    DistributedTrainer t = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .withPartitionRows(new int[] {1797});
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> t.fit(rdd(parts), rdd(List.of()),
            ModelSpec.softmax(64, 10), new TrainingConfig(1, 32, Sgd.of(0.05), Regularizer.NONE,
                0, 12, 0, 0), new float[650], s -> { }));
    assertEquals("the trainer was given the rows of 1 partitions but the training data has 2; "
        + "pass one count per partition, in partition order", e.getMessage());
  }

  /** Rows that do not match the blocks fail the epoch with both counts, never train on a guess. */
  @Test
  void givenRowsThatDoNotMatchTheBlocksFailTheEpoch() {
    DistributedTrainer t = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .withPartitionRows(new int[] {1097, 700});
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> t.fit(rdd(parts), rdd(List.of()), ModelSpec.softmax(64, 10),
            new TrainingConfig(1, 32, Sgd.of(0.05), Regularizer.NONE, 0, 12, 0, 0),
            new float[650], s -> { }));
    // whichever task fails first
    assertTrue(e.getMessage().matches("(?s).*partition (0 holds 700 rows but the epoch's plan was "
        + "made for 1097|1 holds 1097 rows but the epoch's plan was made for 700); the rows given "
        + "to the trainer do not match its cached blocks.*"), e.getMessage());
  }

  /** Set by the test below after epoch 1: partition 1's task then fails, after half a second. */
  private static final java.util.concurrent.atomic.AtomicBoolean FAIL_PARTITION_1 =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * An epoch that fails for good while a round is in flight (partition 0 pushed it, partition 1
   * failed) ends the fit with its error at once: the in-process server is stopped as a crash
   * would stop it, not drained, which would wait 30 s for a round that cannot complete.
   */
  @Test
  void aFailedEpochEndsTheFitWithoutWaitingForItsRound() {
    FAIL_PARTITION_1.set(false);
    JavaRDD<ExampleBlock> failing = sc.parallelize(parts, 2).map(b -> {
      if (org.apache.spark.TaskContext.getPartitionId() == 1 && FAIL_PARTITION_1.get()) {
        Thread.sleep(500); // partition 0 pushes its first round meanwhile
        throw new IllegalStateException("injected failure of partition 1");
      }
      return b;
    });
    DistributedTrainer t = new DistributedTrainer(sc, RuntimeSettings.embedded(2));
    long t0 = System.nanoTime();
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> t.fit(failing, rdd(List.of()), ModelSpec.softmax(64, 10),
            new TrainingConfig(2, 32, Sgd.of(0.05), Regularizer.NONE, 0, 12, 0, 0),
            new float[650], s -> FAIL_PARTITION_1.set(true)));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(e.getMessage().contains("injected failure of partition 1"), e.getMessage());
    assertTrue(seconds < 20, "the failed fit took " + seconds + " s: it drained the server");
  }

  @Test
  void localStepsMatchTheReferenceTrainer() {
    assertSameAsReference(ModelSpec.softmax(64, 10), new TrainingConfig(2, 32, Sgd.of(0.05),
        Regularizer.NONE, 0, 12, 0, 0, 4));
  }

  /**
   * Overlapped rounds through Spark and the server (each worker sends round r and computes round
   * r + 1 before reading the reply) give the reference trainer's overlapped rounds.
   */
  @Test
  void overlappedLocalStepsMatchTheReferenceTrainer() {
    assertSameAsReference(ModelSpec.mlp(64, List.of(16), Activation.RELU, Task.MULTICLASS, 10,
        new Loss.SquaredError()), new TrainingConfig(2, 32, Adam.of(0.01), Regularizer.NONE, 0,
        13, 0, 0, 4, true));
  }

  /**
   * An epoch checked in parts (one barrier stage per part, --check-rows) runs the same rounds as
   * one stage: with convergence stopping off, the reference trainer's parameters.
   */
  @Test
  void anEpochRunInCheckedPartsMatchesTheReferenceTrainer() {
    TrainingConfig cfg = new TrainingConfig(2, 32, Adam.of(0.01), Regularizer.NONE, 0, 14, 0, 0,
        1).withConvergence(0.001, 500); // 1797 rows: 4 parts an epoch
    assertEquals(4, cfg.checksPerEpoch(1797));
    assertSameAsReference(ModelSpec.softmax(64, 10), cfg);
  }

  /**
   * Without validation rows the training loss of each part decides: a tolerance no part can
   * meet stops the run after --patience checks, before its --epochs, and says so.
   */
  @Test
  void convergenceOnTheTrainingLossStopsEarlyAndSaysWhy() {
    ModelSpec spec = ModelSpec.softmax(64, 10);
    TrainingConfig cfg = new TrainingConfig(10, 32, Adam.of(0.01), Regularizer.NONE, 0, 15, 0, 2,
        1).withConvergence(0.95, 600); // 3 parts an epoch; no part improves by 95%
    float[] start = new ReferenceTrainer(spec.build(), cfg).initialParams();
    List<EpochStats> epochs = new ArrayList<>();
    DistributedTrainer.Result r = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .fit(rdd(parts), rdd(List.of()), spec, cfg, start, epochs::add);
    assertTrue(r.stoppedEarly());
    // the first check sets the reference, the next two do not improve on it by 95%: the run
    // ends after the third part, which is the first epoch's last
    assertEquals(1, epochs.size(), epochs.toString());
    assertTrue(r.stopReason().startsWith("converged: the training loss did not improve by a "
        + "relative 0.95 (--tol) in 2 checks"), r.stopReason());
    assertEquals(1, r.localSteps());
  }

  /**
   * With --local-steps auto, a model too small for any measurement to change K (logistic
   * regression on synth's 28 features) trains at the staleness bound without a calibration stage,
   * as the reference trainer does with that K given.
   */
  @Test
  void autoLocalStepsTakeTheBoundWithoutMeasuringASmallModel() {
    ExampleBlock all = SynthData.block(20_000);
    List<ExampleBlock> halves = List.of(all.select(IntStream.range(0, 10_000).toArray()),
        all.select(IntStream.range(10_000, 20_000).toArray()));
    ModelSpec spec = ModelSpec.logistic(SynthData.FEATURES);
    TrainingConfig auto = new TrainingConfig(1, 64, Sgd.of(0.05), Regularizer.NONE, 0, 7, 0, 0,
        TrainingConfig.AUTO_LOCAL_STEPS);
    // 156 minibatches of 64 a worker: 16 local steps keep 9 averagings an epoch, 32 would keep 4
    // (LocalSteps.bound: at least 8)
    ReferenceTrainer ref = new ReferenceTrainer(spec.build(), auto.withLocalSteps(16));
    float[] start = ref.initialParams();
    float[] expected = ref.fit(halves, null, start, s -> { }).params();
    sc.setJobGroup("auto-local-steps", "auto local steps without calibration", false);
    DistributedTrainer.Result r;
    try {
      r = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
          .withPartitionRows(new int[] {10_000, 10_000})
          .fit(rdd(halves), rdd(List.of()), spec, auto, start, e -> { });
    } finally {
      sc.clearJobGroup();
    }
    assertEquals(16, r.localSteps());
    // one job: the epoch's barrier stage (the row counts were given, and no calibration stage)
    assertEquals(1, sc.statusTracker().getJobIdsForGroup("auto-local-steps").length);
    float maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - r.params()[i]));
    }
    assertTrue(maxDiff < 1e-4f, "largest parameter difference " + maxDiff);
  }
}
