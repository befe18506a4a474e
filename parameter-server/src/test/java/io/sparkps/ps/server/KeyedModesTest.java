package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.ErrorCode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.ParameterServerException;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.Ftrl;
import io.sparkps.ps.keyed.LazyAdam;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.keyed.SparseOptimizer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each sparse rule's step on the server against a value computed by hand from the rule's
 * formula, in the consistency modes and for deltas (local steps).
 */
@Timeout(60)
class KeyedModesTest {
  private static final long[] KEYS = {-3, 10, 1L << 50};

  private interface Body {
    void run(KeyedClient c0, KeyedClient c1) throws Exception;
  }

  private static void withJob(SparseOptimizer rule, int partitions, ConsistencyMode mode,
      Body body) throws Exception {
    try (ParameterServer server = Fixtures.server(2)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 2));
      KeyedJobSpec spec = new KeyedJobSpec(1, rule, Optional.empty(), 0, 3, 1 << 22,
          new float[0], Fixtures.sgd(0.1), partitions, mode);
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           KeyedClient c0 = KeyedClient.connect(cfg, spec);
           KeyedClient c1 = KeyedClient.connect(cfg, spec)) {
        admin.initKeyed(spec);
        body.run(c0, c1);
      }
    }
  }

  private static KeyedPush push(long round, int partition, long examples, PayloadKind kind,
      float... rows) {
    return new KeyedPush(round, partition, 0, examples, 0, kind, KEYS, KEYS.length, rows,
        new float[0]);
  }

  private static float[] pull(KeyedClient c, long round) {
    float[] rows = new float[KEYS.length];
    c.pull(round, KEYS, KEYS.length, rows, new float[0]);
    return rows;
  }

  /**
   * FTRL-Proximal (alpha 0.5, beta 1, L1 0.5, L2 1) from z = n = 0, one gradient g: n = g^2,
   * sigma = |g| / alpha, z = g, and w = -(g - sign(g) L1) / ((beta + |g|) / alpha + L2) unless
   * |g| <= L1, when it is exactly 0.
   */
  @Test
  void ftrlInSyncMode() throws Exception {
    withJob(new Ftrl(0.5, 1, 0.5, 1), 1, new ConsistencyMode.Sync(), (c0, c1) -> {
      c0.push(push(0, 0, 4, PayloadKind.GRADIENT, 2f, 0.3f, -4f));
      assertArrayEquals(new float[] {(float) (-1.5 / 7), 0f, (float) (3.5 / 11)}, pull(c0, 1),
          1e-6f);
    });
  }

  /**
   * AdaGrad (rate 0.5, L2 0.1) on a sync round of two partitions: the mean of key 10 is
   * (1 * 4 + 3 * 0) / 4 = 1; from w = 0: g = 1, G = 1, w = -0.5. Key -3: (1 * -2 + 3 * 2) / 4 = 1
   * too; key 2^50: 0, so w stays 0.
   */
  @Test
  void adaGradInSyncModeWithTwoPartitions() throws Exception {
    withJob(new SparseAdaGrad(0.5, 0.1, 1e-10), 2, new ConsistencyMode.Sync(), (c0, c1) -> {
      c0.push(push(0, 0, 1, PayloadKind.GRADIENT, -2f, 4f, 0f));
      c1.push(push(0, 1, 3, PayloadKind.GRADIENT, 2f, 0f, 0f));
      assertArrayEquals(new float[] {-0.5f, -0.5f, 0f}, pull(c1, 1), 1e-6f);
      // round 1, key 10 only moved: g = 2 + 0.1 * -0.5 = 1.95, G = 1 + 1.95^2
      c0.push(push(1, 0, 1, PayloadKind.GRADIENT, 0f, 2f, 0f));
      c1.push(push(1, 1, 1, PayloadKind.GRADIENT, 0f, 2f, 0f));
      double g = 2 + 0.1 * -0.5;
      float w = (float) (-0.5 - 0.5 * g / Math.sqrt(1 + g * g));
      // key -3 had a zero mean gradient, but lazy L2 still acts on a pushed key: g = -0.05
      double g3 = 0.1 * -0.5;
      float w3 = (float) (-0.5 - 0.5 * g3 / Math.sqrt(1 + g3 * g3));
      assertArrayEquals(new float[] {w3, w, 0f}, pull(c0, 2), 1e-6f);
    });
  }

  /**
   * Lazy Adam (rate 0.01) in async mode: each push is one step on arrival, the step count
   * per key. Step 1 from m = v = 0 moves by -rate * g / (|g| + eps); step 2 uses t = 2.
   */
  @Test
  void lazyAdamInAsyncModeStepsOnArrivalWithAStepCountPerKey() throws Exception {
    LazyAdam adam = LazyAdam.of(0.01);
    withJob(adam, 2, new ConsistencyMode.Async(), (c0, c1) -> {
      c0.push(push(0, 0, 1, PayloadKind.GRADIENT, 3f, -1f, 0f));
      float[] once = pull(c1, 0);
      assertArrayEquals(new float[] {-0.01f, 0.01f, 0f}, once, 1e-6f);
      c1.push(push(0, 1, 1, PayloadKind.GRADIENT, 1f, 0f, 0f));
      double m = 0.9 * 0.1 * 3 + 0.1 * 1;
      double v = 0.999 * 0.001 * 9 + 0.001 * 1;
      double w = -0.01 - 0.01 / (1 - 0.81) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999)
          + 1e-8);
      double m10 = 0.9 * 0.1 * -1;
      double v10 = 0.999 * 0.001;
      double w10 = 0.01 - 0.01 / (1 - 0.81) * m10 / (Math.sqrt(v10)
          / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
      assertArrayEquals(new float[] {(float) w, (float) w10, 0f}, pull(c0, 1), 1e-6f);
    });
  }

  /** A sync delta round adds the example-weighted mean delta to the weights, FTRL's too. */
  @Test
  void syncDeltasAddTheWeightedMeanToTheWeights() throws Exception {
    withJob(new Ftrl(0.5, 1, 0, 0), 2, new ConsistencyMode.Sync(), (c0, c1) -> {
      c0.push(push(0, 0, 1, PayloadKind.DELTA, 0.4f, -1f, 0f));
      c1.push(push(0, 1, 3, PayloadKind.DELTA, 0f, 1f, 2f));
      assertArrayEquals(new float[] {0.1f, 0.5f, 1.5f}, pull(c0, 1), 1e-6f);
    });
  }

  /** An async delta is added on arrival, scaled by 1 / N as the dense path does. */
  @Test
  void asyncDeltasAreScaledByThePartitionCount() throws Exception {
    withJob(new SparseAdaGrad(0.1, 0, 1e-10), 2, new ConsistencyMode.Async(), (c0, c1) -> {
      c0.push(push(0, 0, 1, PayloadKind.DELTA, 0.4f, -1f, 0f));
      assertArrayEquals(new float[] {0.2f, -0.5f, 0f}, pull(c1, 0), 1e-7f);
      c1.push(push(0, 1, 1, PayloadKind.DELTA, 0f, 0f, 0f)); // no round left in flight
    });
  }

  /** ssp (s = 1): a push two rounds ahead of the slowest partition is refused, nothing applied. */
  @Test
  void sspRefusesAPushPastTheStalenessBoundAndAppliesNothing() throws Exception {
    withJob(new SparseAdaGrad(0.1, 0, 1e-10), 2, new ConsistencyMode.Ssp(1), (c0, c1) -> {
      assertEquals(PushOutcome.ACCEPTED, c0.push(push(0, 0, 1, PayloadKind.GRADIENT,
          1f, 1f, 1f)));
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> c0.push(push(2, 0, 1, PayloadKind.GRADIENT, 5f, 5f, 5f)));
      assertEquals(ErrorCode.UNKNOWN_ROUND, e.code());
      assertEquals(PushOutcome.DUPLICATE, c0.push(push(0, 0, 1, PayloadKind.GRADIENT,
          9f, 9f, 9f)));
      assertArrayEquals(new float[] {-0.1f, -0.1f, -0.1f}, pull(c1, 0), 1e-6f);
      c1.push(push(0, 1, 1, PayloadKind.GRADIENT, 0f, 0f, 0f)); // no round left in flight
    });
  }

  /** An update that overflows a row fails the job, as the dense path does: nothing is served. */
  @Test
  void anUpdateThatMakesARowNonFiniteFailsTheJob() throws Exception {
    withJob(new SparseAdaGrad(0.1, 0, 1e-10), 1, new ConsistencyMode.Async(), (c0, c1) -> {
      c0.push(push(0, 0, 1, PayloadKind.DELTA, 3e38f, 0f, 0f));
      ParameterServerException e = assertThrows(ParameterServerException.class,
          () -> c0.push(push(1, 0, 1, PayloadKind.DELTA, 3e38f, 0f, 0f)));
      assertEquals(ErrorCode.NON_FINITE_VALUES, e.code());
      assertTrue(e.getMessage().contains("made the row of key -3 of shard"), e.getMessage());
      ParameterServerException again = assertThrows(ParameterServerException.class,
          () -> pull(c1, 1));
      assertEquals(ErrorCode.NON_FINITE_VALUES, again.code());
    });
  }
}
