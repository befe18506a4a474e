package io.sparkps.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.optim.AdaGrad;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ServerAccess;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A keyed epoch of a factorization machine on two servers (shards) and two Spark partitions
 * against the dense epoch of the same model, rows and seeds: the servers' per-key AdaGrad is the
 * dense AdaGrad restricted to the keys pushed (an untouched key's dense step is zero), so the
 * keyed job ends with the dense job's parameters, while each worker moved only its minibatches'
 * keys; a task that fails and runs again counts every round once and ends with the same model.
 */
@Timeout(180)
class KeyedEpochTest {
  private static final String TOKEN = "keyed-epoch-token-0123456789";
  private static final int KEYS = 2000;
  private static final long INIT_SEED = 17;
  private static JavaSparkContext sc;
  private static final java.util.concurrent.atomic.AtomicInteger FAILURES =
      new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("keyed-epoch")
        .set("spark.ui.enabled", "false").set("spark.stage.maxConsecutiveAttempts", "3"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void aKeyedEpochEndsWithTheDenseEpochsParameters() throws Exception {
    FmSpec spec = new FmSpec(KEYS, 4, new Loss.LogLoss(), 0.1);
    SparseModel model = spec.build();
    List<SparseBlock> blocks = List.of(block(600, 1), block(600, 2));
    EpochPlan plan = EpochPlan.of(new int[] {600, 600}, 50, 1);
    TrainingConfig config = new TrainingConfig(1, 50, AdaGrad.of(0.1),
        Regularizer.elasticNet(0, 0.001), 0, 7, 0, 0, 1, false, 0, 0);
    float[] dense = denseEpoch(model, blocks, plan, config);
    Keyed k = keyedEpoch(spec, blocks, plan, config, 0);
    assertEquals(1200, k.reports().stream().mapToLong(EpochReport::examples).sum());
    assertEquals(plan.rounds(), k.history().size());
    double maxDiff = 0;
    for (int i = 0; i < k.params().length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(k.params()[i] - dense[i]));
    }
    assertTrue(maxDiff < 1e-5, "keyed and dense parameters differ by " + maxDiff);
    double moved = 0;
    float[] init = new float[model.parameterCount()];
    model.initialize(init, INIT_SEED);
    for (int i = 0; i < KEYS * model.rowWidth(); i++) {
      moved = Math.max(moved, Math.abs(k.params()[i] - init[i]));
    }
    assertTrue(moved > 1e-3, "training moved the rows, by at most " + moved);

    // a task that fails runs again; every round counts each partition once, the same model
    Keyed retried = keyedEpoch(spec, blocks, plan, config, 1);
    assertTrue(retried.reports().stream().allMatch(r -> r.attempt() > 0), retried.reports()
        .toString());
    for (RoundStats r : retried.history()) {
      assertEquals(2, r.pushes(), "round " + r.round() + " counted each partition once");
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(k.params(), retried.params());
  }

  private record Keyed(float[] params, List<RoundStats> history, List<EpochReport> reports) {
  }

  /** A keyed epoch on two shards; partition 0's task fails {@code failures} times first. */
  private static Keyed keyedEpoch(FmSpec spec, List<SparseBlock> blocks, EpochPlan plan,
      TrainingConfig config, int failures) throws Exception {
    SparseModel model = spec.build();
    FAILURES.set(failures);
    ParameterServer a = ParameterServer.start(ServerConfig.loopback(TOKEN));
    ParameterServer b = ParameterServer.start(ServerConfig.loopback(TOKEN)
        .withShards(List.of(1)));
    try {
      ClientConfig cfg = ClientConfig.of(List.of(new InetSocketAddress("127.0.0.1", a.port()),
          new InetSocketAddress("127.0.0.1", b.port())), TOKEN);
      KeyedJobSpec job = new KeyedJobSpec(model.rowWidth(), new SparseAdaGrad(0.1, 0,
          AdaGrad.DEFAULT_EPSILON), Optional.of(spec), INIT_SEED, 99, 1L << 26,
          new float[model.denseTail()], AdaGrad.of(0.1), 2, new ConsistencyMode.Sync());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(job);
        EpochJob epoch = new EpochJob(spec, config, plan, 1, 0, new ServerAccess(List.of(
            "127.0.0.1:" + a.port(), "127.0.0.1:" + b.port()), TOKEN, 1, ""), 30, true, "cpu",
            0, plan.rounds(), new EpochJob.KeyedLayout(99));
        List<EpochReport> reports = BarrierEpoch.run(sc.parallelize(blocks, 2)
            .map(new FailFirst()), epoch);
        try (KeyedClient client = KeyedClient.connect(cfg, job)) {
          long[] all = new long[KEYS];
          for (int k = 0; k < KEYS; k++) {
            all[k] = k;
          }
          float[] rows = new float[KEYS * model.rowWidth()];
          float[] tail = new float[model.denseTail()];
          client.pull(plan.rounds(), all, KEYS, rows, tail);
          float[] params = java.util.Arrays.copyOf(rows, rows.length + tail.length);
          System.arraycopy(tail, 0, params, rows.length, tail.length);
          return new Keyed(params, admin.keyedHistory(0), reports);
        }
      }
    } finally {
      a.kill();
      b.kill();
    }
  }

  /** Fails partition 0's task while {@link #FAILURES} is positive. */
  private static final class FailFirst
      implements org.apache.spark.api.java.function.Function<SparseBlock, SparseBlock> {
    private static final long serialVersionUID = 1L;

    @Override
    public SparseBlock call(SparseBlock b) {
      if (org.apache.spark.TaskContext.getPartitionId() == 0
          && FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("injected failure");
      }
      return b;
    }
  }

  private static float[] denseEpoch(SparseModel model, List<SparseBlock> blocks, EpochPlan plan,
      TrainingConfig config) throws Exception {
    ParameterServer server = ParameterServer.start(ServerConfig.loopback(TOKEN));
    try {
      ClientConfig cfg = ClientConfig.of(List.of(new InetSocketAddress("127.0.0.1",
          server.port())), TOKEN);
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        float[] init = new float[model.parameterCount()];
        model.initialize(init, INIT_SEED);
        admin.init(new JobSpec(init.length, AdaGrad.of(0.1), new InitialValues.Values(init), 2,
            new ConsistencyMode.Sync()));
        EpochJob epoch = new EpochJob(model.spec(), config, plan, 1, 0, new ServerAccess(
            List.of("127.0.0.1:" + server.port()), TOKEN, 1, ""), 30, true, "cpu");
        BarrierEpoch.run(sc.parallelize(blocks, 2), epoch);
        admin.awaitRound(plan.rounds(), java.time.Duration.ofSeconds(30));
        return admin.snapshot().values();
      }
    } finally {
      server.kill();
    }
  }

  /** Click-like rows: 3 to 8 keys each, skewed to small keys, labels from a hidden linear rule. */
  private static SparseBlock block(int rows, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] start = new int[rows + 1];
    List<Integer> idx = new ArrayList<>();
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      TreeSet<Integer> keys = new TreeSet<>();
      int n = 3 + rng.nextInt(6);
      while (keys.size() < n) {
        double u = rng.nextDouble();
        keys.add((int) (KEYS * u * u * u));
      }
      double score = 0;
      for (int k : keys) {
        score += (k % 7) - 3;
      }
      idx.addAll(keys);
      start[i + 1] = idx.size();
      y[i] = score + rng.nextGaussian() > 0 ? 1 : 0;
    }
    int[] ia = idx.stream().mapToInt(Integer::intValue).toArray();
    float[] va = new float[ia.length];
    java.util.Arrays.fill(va, 1f);
    return SparseBlock.of(rows, KEYS, start, ia, va, y);
  }
}
