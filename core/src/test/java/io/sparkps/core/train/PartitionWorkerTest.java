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

  /** Gathering each minibatch through the row order gives exactly the shuffled copy's results. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 4})
  void gatheredMinibatchesEqualTheShuffledCopy(int localSteps) {
    ExampleBlock block = SynthData.block(1001);
    ModelSpec spec = ModelSpec.mlp(SynthData.FEATURES, java.util.List.of(16),
        io.sparkps.core.model.Activation.RELU, io.sparkps.core.model.Task.BINARY, 2,
        new io.sparkps.core.model.Loss.SquaredError());
    Model model = spec.build();
    EpochPlan plan = EpochPlan.of(new int[] {block.rows(), 700}, 64, localSteps);
    TrainingConfig config = new TrainingConfig(3, 64, io.sparkps.core.optim.Adam.of(0.01),
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

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
