package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.AdaGrad;
import io.sparkps.core.optim.Sgd;
import io.sparkps.core.train.ReferenceTrainer;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.keyed.WeightsFileReader;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A factorization machine trained through the keyed job (local[2], the in-process server with
 * two shards) reaches the dense-vector path's held-out loss, and the shards write the model into
 * the model directory as part files that hold every key the training rows touched: those of the
 * epoch with the best held-out loss.
 */
class KeyedTrainingTest {
  private static JavaSparkContext sc;
  private static List<SparseBlock> parts;
  private static SparseBlock heldOut;

  @BeforeAll
  static void start() {
    sc = JavaSparkContext.fromSparkContext(io.sparkps.driver.data.SparkTestSession.get()
        .sparkContext());
    parts = List.of(SparseTrainingTest.clicks(900, 1), SparseTrainingTest.clicks(700, 2));
    heldOut = SparseTrainingTest.clicks(2000, 3);
  }

  @Test
  void keyedFmReachesTheDenseHeldOutLossAndExportsItsKeys(@TempDir Path dir) throws Exception {
    ModelSpec spec = new FmSpec(1 << 8, 4, new Loss.LogLoss(), 0.1);
    TrainingConfig cfg = new TrainingConfig(4, 32, AdaGrad.of(0.1), Regularizer.l2(1e-4), 0, 7,
        0, 0);
    RuntimeSettings two = new RuntimeSettings(2, List.of(), "", "", "", 2, "sync", 600, "cpu",
        java.util.Optional.empty());
    float[] start = new ReferenceTrainer(spec.build(), cfg).initialParams();
    // both layouts keep the epoch with the best held-out loss
    JavaRDD<Block> held = sc.parallelize(List.<Block>of(heldOut), 1);
    DistributedTrainer.Result d = new DistributedTrainer(sc, two).fit(rdd(), held, spec, cfg,
        start, s -> { });
    float[] dense = d.params();
    Model m = spec.build();
    double denseLoss = new Objective(m, Regularizer.NONE).meanLoss(dense, heldOut, 4096);

    KeyedTrainer.Result r = new KeyedTrainer(sc, two).fit(rdd(), held, spec, cfg,
        dir.resolve("model").toUri(), s -> { });
    // the model is the best epoch's tables (the lowest held-out loss), not the last epoch's
    double keyedLoss = r.history().get(r.modelEpoch() - 1).validationLoss();
    assertEquals(r.history().stream().mapToDouble(s -> s.validationLoss()).min().orElseThrow(),
        keyedLoss, "model epoch " + r.modelEpoch() + " of " + r.history());
    assertEquals(d.bestEpoch(), r.modelEpoch(), "the layouts agree on the best epoch");
    assertTrue(keyedLoss < 0.69, "the keyed model learns: " + keyedLoss);
    assertEquals(denseLoss, keyedLoss, 0.005, "keyed " + keyedLoss + ", dense " + denseLoss);

    long touched = java.util.Arrays.stream(SparseBlockKeys.of(parts)).count();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("model").resolve("keyed"))) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".spkw")).sorted().toList();
    }
    assertEquals(2, files.size(), "one part per shard: " + files);
    long keys = 0;
    for (Path f : files) {
      try (WeightsFileReader w = WeightsFileReader.open(f.toUri())) {
        keys += w.keyCount();
        assertEquals(5, w.width());
      }
    }
    assertEquals(touched, keys);
    assertEquals(touched, r.keysWritten());

    // scoring from the model directory gives the held-out loss the servers gave
    try (io.sparkps.driver.predict.KeyedModel km = io.sparkps.driver.predict.KeyedModel.open(
        dir.resolve("model").toUri(), new org.apache.hadoop.conf.Configuration())) {
      double sum = 0;
      for (int from = 0; from < heldOut.rows(); from += 500) {
        sum += km.lossSum(heldOut, from, Math.min(heldOut.rows(), from + 500));
      }
      assertEquals(keyedLoss, sum / heldOut.rows(), 1e-6);
      float[] p = new float[3];
      km.predict(heldOut, 0, 3, p);
      float[] q = new float[3];
      Model cm = spec.build();
      cm.predict(dense, heldOut, 0, 3, q, cm.newWorkspace(3));
      for (int i = 0; i < 3; i++) {
        assertEquals(q[i], p[i], 0.05, "row " + i + ": the keyed and dense models agree");
      }
    }
  }

  @Test
  void anOptimizerWithoutAPerKeyRuleIsRefusedWithTheFix() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> SparseRules.of(Sgd.of(0.1)));
    assertTrue(e.getMessage().contains("--optimizer adagrad"), e.getMessage());
  }

  private static JavaRDD<Block> rdd() {
    return sc.parallelize(List.<Block>copyOf(parts), parts.size()).cache();
  }

  /** The distinct keys of blocks. */
  private static final class SparseBlockKeys {
    static int[] of(List<SparseBlock> blocks) {
      return blocks.stream().flatMapToInt(b -> java.util.Arrays.stream(b.indices(), 0, b.nnz()))
          .distinct().toArray();
    }
  }
}
