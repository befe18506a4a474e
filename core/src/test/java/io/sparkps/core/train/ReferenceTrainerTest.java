package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceTrainerTest {

  private static ExampleBlock digits() {
    ExampleBlock b = TestData.digits().block();
    Standardizer.fit(b).applyInPlace(b);
    return b;
  }

  private static ModelSpec mlp() {
    return ModelSpec.mlp(64, List.of(32), Activation.RELU, Task.MULTICLASS, 10,
        new Loss.SquaredError());
  }

  @Test
  void sameSeedGivesBitIdenticalParameters() {
    ExampleBlock b = digits();
    TrainingConfig cfg = new TrainingConfig(3, 32, Adam.of(0.01), Regularizer.l2(1e-4), 1.0, 9,
        0.2, 0);
    float[] a = new ReferenceTrainer(mlp().build(), cfg).fit(b, s -> { }).params();
    float[] c = new ReferenceTrainer(mlp().build(), cfg).fit(b, s -> { }).params();
    assertArrayEquals(a, c);
    TrainingConfig other = new TrainingConfig(3, 32, Adam.of(0.01), Regularizer.l2(1e-4), 1.0, 10,
        0.2, 0);
    float[] d = new ReferenceTrainer(mlp().build(), other).fit(b, s -> { }).params();
    assertFalse(java.util.Arrays.equals(a, d), "another seed shuffles differently");
  }

  @Test
  void oneEpochOfFullBatchesIsOneGradientStepPerBatch() {
    ExampleBlock b = digits();
    Model model = ModelSpec.softmax(64, 10).build();
    TrainingConfig cfg = new TrainingConfig(1, b.rows(), Sgd.of(0.5), Regularizer.l2(0.01), 0, 3,
        0, 0);
    ReferenceTrainer trainer = new ReferenceTrainer(model, cfg);
    float[] start = trainer.initialParams();
    float[] trained = trainer.fit(b, null, start, s -> { }).params();
    float[] grad = new float[start.length];
    new Objective(model, cfg.regularizer()).valueAndGradient(start, b, 0, b.rows(), grad,
        model.newWorkspace(b.rows()));
    for (int i = 0; i < start.length; i++) {
      assertEquals(start[i] - 0.5f * grad[i], trained[i], 1e-5f, "parameter " + i);
    }
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndKeepsTheBestEpoch() {
    ExampleBlock b = digits();
    // a learning rate this high makes the validation loss climb after the first epochs
    TrainingConfig cfg = new TrainingConfig(60, 16, Adam.of(0.05), Regularizer.NONE, 0, 4, 0.3, 3);
    Model model = mlp().build();
    List<EpochStats> seen = new ArrayList<>();
    ReferenceTrainer.Result r = new ReferenceTrainer(model, cfg).fit(b, seen::add);
    assertTrue(r.stoppedEarly(), "should stop before 60 epochs, ran " + seen.size());
    assertEquals(r.bestEpoch() + 3, seen.size(), "stops exactly patience epochs after the best");
    double best = seen.stream().mapToDouble(EpochStats::validationLoss).min().orElseThrow();
    assertEquals(best, seen.get(r.bestEpoch() - 1).validationLoss());
    Shuffle.Split split = Shuffle.split(b, 0.3, 4);
    assertEquals(best, new Objective(model, Regularizer.NONE).meanLoss(r.params(),
        split.validation(), 512), 1e-9, "the result holds the best epoch's parameters");
  }

  @Test
  void fullBatchesOverTwoPartitionsEqualOneFullBatch() {
    ExampleBlock b = digits();
    int half = b.rows() / 3; // unequal parts: the average must weigh by example count
    ExampleBlock first = b.select(java.util.stream.IntStream.range(0, half).toArray());
    ExampleBlock second = b.select(java.util.stream.IntStream.range(half, b.rows()).toArray());
    Model model = mlp().build();
    TrainingConfig cfg = new TrainingConfig(5, b.rows(), Adam.of(0.01), Regularizer.l2(1e-3), 0,
        5, 0, 0);
    ReferenceTrainer t = new ReferenceTrainer(model, cfg);
    float[] one = t.fit(b, null, t.initialParams(), s -> { }).params();
    float[] two = t.fit(List.of(first, second), null, t.initialParams(), s -> { }).params();
    for (int i = 0; i < one.length; i++) {
      assertEquals(one[i], two[i], 1e-4f, "parameter " + i);
    }
  }

  @Test
  void localSgdStepsOnOnePartitionEqualGlobalSteps() {
    ExampleBlock b = digits().select(java.util.stream.IntStream.range(0, 512).toArray());
    Model model = mlp().build();
    TrainingConfig global = new TrainingConfig(2, 32, Sgd.of(0.05), Regularizer.NONE, 0, 6, 0, 0,
        1);
    TrainingConfig local = new TrainingConfig(2, 32, Sgd.of(0.05), Regularizer.NONE, 0, 6, 0, 0,
        4);
    ReferenceTrainer g = new ReferenceTrainer(model, global);
    float[] a = g.fit(b, null, g.initialParams(), s -> { }).params();
    float[] c = new ReferenceTrainer(model, local).fit(b, null, g.initialParams(), s -> { })
        .params();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], c[i], 1e-5f, "parameter " + i);
    }
  }

  @Test
  void overlapOnOnePartitionIsNoOverlapFloatForFloat() {
    ExampleBlock b = digits().select(java.util.stream.IntStream.range(0, 700).toArray());
    Model model = mlp().build();
    TrainingConfig plain = new TrainingConfig(2, 32, Adam.of(0.01), Regularizer.l2(1e-4), 1.0, 6,
        0, 0, 4);
    ReferenceTrainer t = new ReferenceTrainer(model, plain);
    float[] a = t.fit(b, null, t.initialParams(), s -> { }).params();
    float[] c = new ReferenceTrainer(model, plain.withOverlap(true))
        .fit(b, null, t.initialParams(), s -> { }).params();
    assertArrayEquals(a, c, "one worker's next start is the server's next average");
  }

  @Test
  void overlapStartsEachRoundFromTheLastAverageAndTheOwnDelta() {
    // two partitions, two rounds of 2 local SGD steps: round 1 of each partition must start
    // from the initial parameters plus its own round-0 delta, not from the round-0 average
    ExampleBlock b = digits().select(java.util.stream.IntStream.range(0, 256).toArray());
    ExampleBlock p0 = b.select(java.util.stream.IntStream.range(0, 128).toArray());
    ExampleBlock p1 = b.select(java.util.stream.IntStream.range(128, 256).toArray());
    Model model = ModelSpec.softmax(64, 10).build();
    TrainingConfig cfg = new TrainingConfig(1, 32, Sgd.of(0.1), Regularizer.NONE, 0, 8, 0, 0, 2,
        true);
    ReferenceTrainer t = new ReferenceTrainer(model, cfg);
    float[] start = t.initialParams();
    float[] trained = t.fit(List.of(p0, p1), null, start, s -> { }).params();

    // the same by hand with the workers the trainer uses
    EpochPlan plan = EpochPlan.of(new int[] {128, 128}, 32, 2);
    assertEquals(2, plan.rounds());
    List<ExampleBlock> parts = List.of(p0, p1);
    float[][] d0 = new float[2][start.length];
    float[][] d1 = new float[2][start.length];
    for (int p = 0; p < 2; p++) {
      PartitionWorker w = new PartitionWorker(model, cfg, plan, p, 1);
      ExampleBlock shuffled = PartitionWorker.shuffle(parts.get(p), cfg.seed(), 1, p);
      w.round(start, shuffled, 0, d0[p]);
      float[] s1 = new float[start.length];
      Overlap.nextStart(start, d0[p], s1);
      w.round(s1, shuffled, 1, d1[p]);
    }
    for (int i = 0; i < start.length; i++) {
      float p1Params = start[i] + (float) ((64.0 * d0[0][i] + 64.0 * d0[1][i]) / 128);
      float p2Params = p1Params + (float) ((64.0 * d1[0][i] + 64.0 * d1[1][i]) / 128);
      assertEquals(p2Params, trained[i], 0f, "parameter " + i);
    }
    float[] plain = new ReferenceTrainer(model, cfg.withOverlap(false))
        .fit(List.of(p0, p1), null, start, s -> { }).params();
    assertFalse(java.util.Arrays.equals(plain, trained), "two workers' deltas are one round "
        + "stale with overlap");
  }

  @Test
  void overlapNeedsLocalSteps() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrainingConfig(1, 8, Sgd.of(0.1), Regularizer.NONE, 0, 1, 0, 0, 1, true));
    assertTrue(e.getMessage().startsWith("overlap needs local steps"), e.getMessage());
  }

  @Test
  void rejectsAnEmptyDataset() {
    TrainingConfig cfg = new TrainingConfig(1, 8, Sgd.of(0.1), Regularizer.NONE, 0, 1, 0, 0);
    ReferenceTrainer t = new ReferenceTrainer(ModelSpec.logistic(3).build(), cfg);
    ExampleBlock empty = new ExampleBlock(0, 3, new float[0], new float[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.fit(empty, null, t.initialParams(), s -> { }));
    assertEquals("cannot train on an empty dataset", e.getMessage());
  }
}
