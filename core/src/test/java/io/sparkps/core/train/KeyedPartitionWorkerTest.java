package io.sparkps.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.optim.Sgd;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keyed round against the dense round of {@link PartitionWorker} on the same shuffled rows: the
 * gradient (one local step) or the SGD delta (K local steps) over the compact vector equals the
 * full payload's rows of the touched keys and its tail, and the contribution is the same.
 */
class KeyedPartitionWorkerTest {

  @ParameterizedTest(name = "{0} local steps")
  @ValueSource(ints = {1, 3})
  void aKeyedRoundIsTheDenseRoundsTouchedRows(int localSteps) {
    FmSpec spec = new FmSpec(500, 3, new Loss.LogLoss(), 0.2);
    SparseModel full = spec.build();
    SparseBlock block = CompactBatchTest.randomBlock(spec, 60, 21);
    TrainingConfig config = new TrainingConfig(1, 10, Sgd.of(0.3),
        Regularizer.elasticNet(0.01, 0.01), 0, 7, 0, 0, localSteps, false, 0, 0);
    EpochPlan plan = EpochPlan.of(new int[] {60}, 10, localSteps);
    int[] order = PartitionWorker.order(60, 7, 1, 0);
    float[] params = new float[full.parameterCount()];
    full.initialize(params, 5);
    PartitionWorker dense = new PartitionWorker(full, config, plan, 0, 1);
    KeyedPartitionWorker keyed = new KeyedPartitionWorker(full, config, plan, 0, 1);
    for (int r = 0; r < plan.rounds(); r++) {
      float[] payload = new float[params.length];
      PartitionWorker.Contribution d = dense.round(params, block, order, r, payload);
      CompactBatch batch = keyed.prepare(block, order, r);
      float[] compact = new float[batch.parameterCount()];
      batch.assemble(rows(full, params, batch.keys()), tail(full, params), compact);
      float[] cpay = new float[compact.length];
      PartitionWorker.Contribution k = keyed.compute(batch, compact, r, cpay);
      assertEquals(d, k, "round " + r);
      float[] rows = new float[batch.rowFloats()];
      float[] t = new float[full.denseTail()];
      batch.split(cpay, rows, t);
      assertArrayEquals(rows(full, payload, batch.keys()), rows, "round " + r);
      assertArrayEquals(tail(full, payload), t, "round " + r);
    }
  }

  private static float[] rows(SparseModel m, float[] v, long[] keys) {
    int w = m.rowWidth();
    float[] out = new float[keys.length * w];
    for (int i = 0; i < keys.length; i++) {
      System.arraycopy(v, (int) keys[i] * w, out, i * w, w);
    }
    return out;
  }

  private static float[] tail(SparseModel m, float[] v) {
    return Arrays.copyOfRange(v, m.keys() * m.rowWidth(), v.length);
  }
}
