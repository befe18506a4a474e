package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SynthData;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Sgd;
import org.junit.jupiter.api.Test;

class PartitionWorkerTest {

  /**
   * With local steps a learning-rate schedule runs over the whole run: a step decay of 1/1000
   * after the first epoch's steps must shrink the second epoch's deltas by that factor (when
   * the worker's step count restarted each epoch, both epochs moved alike).
   */
  @Test
  void localStepsContinueTheScheduleAcrossEpochs() {
    ExampleBlock block = SynthData.block(2000);
    ModelSpec spec = ModelSpec.logistic(SynthData.FEATURES);
    Model model = spec.build();
    EpochPlan plan = EpochPlan.of(new int[] {block.rows()}, 100, 4);
    LearningRateSchedule decay = new LearningRateSchedule.StepDecay(1e-3, plan.stepsPerEpoch(),
        1e-3);
    TrainingConfig config = new TrainingConfig(2, 100, new Sgd(decay), Regularizer.NONE, 0, 7,
        0, 0, 4);
    float[] params = new float[model.parameterCount()];
    float[] first = new float[params.length];
    float[] second = new float[params.length];
    new PartitionWorker(model, config, plan, 0, 1).round(params, block, 0, first);
    new PartitionWorker(model, config, plan, 0, 2).round(params, block, 0, second);
    double n1 = norm(first);
    double n2 = norm(second);
    assertTrue(n1 > 0, "the first epoch's delta is not zero");
    // small steps: the gradient hardly moves within a round, so the deltas scale with the rate
    assertEquals(1e-3, n2 / n1, 2e-5, "epoch 2 runs at the decayed rate");
  }

  /**
   * Gathering each minibatch through the row order gives exactly the shuffled copy's results:
   * single rows (a small block), runs of 9 rows (40000), and runs of 16 that hold whole
   * minibatches of 8 (read in place, no copy).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"1001, 1, 64", "1001, 4, 64", "40000, 1, 64",
      "40000, 4, 64", "70000, 1, 8"})
  void gatheredMinibatchesEqualTheShuffledCopy(int rows, int localSteps, int batch) {
    ExampleBlock block = SynthData.block(rows);
    ModelSpec spec = ModelSpec.mlp(SynthData.FEATURES, java.util.List.of(16),
        io.sparkps.core.model.Activation.RELU, io.sparkps.core.model.Task.BINARY, 2,
        new io.sparkps.core.model.Loss.SquaredError());
    Model model = spec.build();
    EpochPlan plan = EpochPlan.of(new int[] {block.rows(), 700}, batch, localSteps);
    TrainingConfig config = new TrainingConfig(3, batch, io.sparkps.core.optim.Adam.of(0.01),
        Regularizer.NONE, 1.0, 5, 0, 0, localSteps);
    float[] params = new float[model.parameterCount()];
    model.initialize(params, 3);
    int epoch = 2;
    ExampleBlock shuffled = PartitionWorker.shuffle(block, config.seed(), epoch, 0);
    int[] order = PartitionWorker.order(block.rows(), config.seed(), epoch, 0);
    PartitionWorker copy = new PartitionWorker(model, config, plan, 0, epoch);
    PartitionWorker gather = new PartitionWorker(model, config, plan, 0, epoch);
    float[] a = new float[params.length];
    float[] b = new float[params.length];
    for (int r = 0; r < plan.rounds(); r++) {
      PartitionWorker.Contribution ca = copy.round(params, shuffled, r, a);
      PartitionWorker.Contribution cb = gather.round(params, block, order, r, b);
      assertEquals(ca, cb, "round " + r);
      org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, "round " + r);
      for (int i = 0; i < params.length; i++) {
        params[i] += 0.1f * a[i];
      }
    }
  }

  /** Epochs shuffle whole rows below 8192 rows and runs of up to 16 rows above. */
  @Test
  void largeBlocksShuffleRunsOfRows() {
    assertEquals(1, PartitionWorker.shuffleRun(1));
    assertEquals(1, PartitionWorker.shuffleRun(8191));
    assertEquals(2, PartitionWorker.shuffleRun(8192));
    assertEquals(9, PartitionWorker.shuffleRun(40000));
    assertEquals(16, PartitionWorker.shuffleRun(500_000));
    int[] order = PartitionWorker.order(40000, 5, 1, 0);
    assertEquals(0, order[0] % 9, "a run starts at a multiple of the run length");
    for (int i = 1; i < 9; i++) {
      assertEquals(order[0] + i, order[i], "a run's rows are consecutive");
    }
  }

  /**
   * A loader's one-time shuffle: a large block's rows in a new order, every row once, with its
   * label; a small block (shuffled row by row each epoch anyway) stays as it is.
   */
  @Test
  void preShuffleReordersLargeBlocksOnly() {
    ExampleBlock small = SynthData.block(1000);
    org.junit.jupiter.api.Assertions.assertSame(small, PartitionWorker.preShuffle(small, 3, 0));
    ExampleBlock big = SynthData.block(20000);
    ExampleBlock mixed = PartitionWorker.preShuffle(big, 3, 0);
    assertEquals(big.rows(), mixed.rows());
    java.util.Map<String, Float> labels = new java.util.HashMap<>();
    for (int r = 0; r < big.rows(); r++) {
      labels.put(row(big, r), big.labels()[r]);
    }
    int moved = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int r = 0; r < mixed.rows(); r++) {
      String key = row(mixed, r);
      assertEquals(labels.get(key), mixed.labels()[r], "row " + r + " keeps its label");
      assertTrue(seen.add(key), "row " + r + " appears once");
      moved += key.equals(row(big, r)) ? 0 : 1;
    }
    assertTrue(moved > big.rows() * 0.99, "almost every row moved: " + moved);
    org.junit.jupiter.api.Assertions.assertArrayEquals(mixed.features(),
        PartitionWorker.preShuffle(big, 3, 0).features(), "the same seed, the same order");
  }

  private static String row(ExampleBlock b, int r) {
    return java.util.Arrays.toString(java.util.Arrays.copyOfRange(b.features(), r * b.cols(),
        (r + 1) * b.cols()));
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
