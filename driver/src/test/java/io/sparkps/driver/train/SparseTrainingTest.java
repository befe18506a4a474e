package io.sparkps.driver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.WideDeepSpec;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.train.ReferenceTrainer;
import io.sparkps.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sparse models trained through Spark (local[2], barrier stages) with a real parameter server on
 * loopback give the parameters the single-process reference trainer gives on the same sparse
 * partitions and seed, and they learn: the factorization machine and wide and deep find the
 * interaction that logistic regression cannot.
 */
class SparseTrainingTest {
  private static final int FIELDS = 4;
  private static final int VOCAB = 12;
  private static final int KEYS = 1 << 8;
  private static JavaSparkContext sc;
  private static List<SparseBlock> parts;
  private static SparseBlock heldOut;

  @BeforeAll
  static void start() {
    sc = JavaSparkContext.fromSparkContext(io.sparkps.driver.data.SparkTestSession.get()
        .sparkContext());
    parts = List.of(clicks(900, 1), clicks(700, 2));
    heldOut = clicks(2000, 3);
  }

  /**
   * Rows of {@link #FIELDS} categorical fields (key = field * VOCAB + value), a per-value weight
   * and an interaction of fields 0 and 1 (same value parity) that a linear model cannot express.
   */
  static SparseBlock clicks(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    SparseBlockBuilder b = new SparseBlockBuilder(KEYS, FIELDS);
    SparseRow row = new SparseRow();
    for (int i = 0; i < rows; i++) {
      row.clear();
      int[] v = new int[FIELDS];
      double score = -0.3;
      for (int f = 0; f < FIELDS; f++) {
        v[f] = rng.nextInt(VOCAB);
        row.add(f * VOCAB + v[f], 1f, f);
        score += ((v[f] * 7 + f * 3) % 5 - 2) * 0.25;
      }
      score += (v[0] % 2 == v[1] % 2) ? 1.5 : -1.5;
      row.normalize();
      b.add(row, rng.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1f : 0f);
    }
    return b.build();
  }

  private static JavaRDD<Block> rdd() {
    return sc.parallelize(List.<Block>copyOf(parts), parts.size()).cache();
  }

  /**
   * Trains through Spark and the parameter server and by the reference trainer; the parameters
   * must agree within {@code tolerance}.
   */
  private static float[] assertSameAsReference(ModelSpec spec, TrainingConfig cfg,
      float tolerance) {
    Model model = spec.build();
    ReferenceTrainer ref = new ReferenceTrainer(model, cfg);
    float[] start = ref.initialParams();
    float[] expected = ref.fit(parts, null, start, s -> { }).params();
    DistributedTrainer.Result r = new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .fit(rdd(), sc.emptyRDD(), spec, cfg, start, s -> { });
    float maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - r.params()[i]));
    }
    assertTrue(maxDiff < tolerance, spec.name() + ": largest parameter difference " + maxDiff);
    return r.params();
  }

  private static double heldOutLogLoss(ModelSpec spec, float[] params) {
    Model m = spec.build();
    float[] p = new float[heldOut.rows()];
    m.predict(params, heldOut, 0, heldOut.rows(), p, m.newWorkspace(heldOut.rows()));
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
      sum -= heldOut.labels()[i] == 1f ? Math.log(q) : Math.log(1 - q);
    }
    return sum / p.length;
  }

  /**
   * With SGD the two agree to float rounding (the server sums the weighted pushes in float, the
   * reference trainer in double). Adam would amplify that rounding where two partitions' gradients
   * of a key nearly cancel (its early steps are about lr * sign(g)), so the learning check below
   * trains with Adam but compares with SGD.
   */
  @Test
  void sparseModelsMatchTheReferenceTrainerAndTheInteractionIsFound() {
    TrainingConfig sgd = new TrainingConfig(3, 32, io.sparkps.core.optim.Sgd.of(0.2),
        Regularizer.l2(1e-4), 0, 7, 0, 0);
    ModelSpec logistic = new SparseLinearSpec(KEYS, 1, new Loss.LogLoss());
    ModelSpec fm = new FmSpec(KEYS, 4, new Loss.LogLoss(), 0.1);
    ModelSpec wideDeep = new WideDeepSpec(KEYS, FIELDS, 4, List.of(16), Activation.RELU,
        new Loss.LogLoss(), 0.1);
    for (ModelSpec spec : List.of(logistic, fm, wideDeep)) {
      assertSameAsReference(spec, sgd, 1e-5f);
    }
    TrainingConfig adam = new TrainingConfig(6, 32, Adam.of(0.02), Regularizer.l2(1e-4), 0, 7,
        0, 0);
    double lr = heldOutLogLoss(logistic, train(logistic, adam));
    double fmLoss = heldOutLogLoss(fm, train(fm, adam));
    double wd = heldOutLogLoss(wideDeep, train(wideDeep, adam));
    assertTrue(lr < 0.69, "logistic regression learns the main effects: " + lr);
    assertTrue(fmLoss < lr - 0.03, "fm " + fmLoss + " finds the interaction, logistic " + lr);
    assertTrue(wd < lr - 0.03, "wide-deep " + wd + " finds the interaction, logistic " + lr);
  }

  private static float[] train(ModelSpec spec, TrainingConfig cfg) {
    float[] start = new ReferenceTrainer(spec.build(), cfg).initialParams();
    return new DistributedTrainer(sc, RuntimeSettings.embedded(2))
        .fit(rdd(), sc.emptyRDD(), spec, cfg, start, s -> { }).params();
  }

  @Test
  void localStepsOnSparseRowsMatchTheReferenceTrainer() {
    TrainingConfig cfg = new TrainingConfig(2, 16, io.sparkps.core.optim.Sgd.of(0.1),
        Regularizer.NONE, 0, 5, 0, 0, 4, false);
    float[] p = assertSameAsReference(new FmSpec(KEYS, 2, new Loss.LogLoss(), 0.1), cfg, 1e-5f);
    assertEquals(KEYS * 3 + 1, p.length);
  }
}
