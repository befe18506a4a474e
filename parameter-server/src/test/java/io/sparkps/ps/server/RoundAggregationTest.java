package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sparkps.core.optim.Optimizer;
import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.Parameters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RoundAggregationTest {
  private static final int SIZE = 1003;
  private static final int PARTITIONS = 4;
  private static final int ROUNDS = 6;
  private final Optimizer sgd = Fixtures.sgd(0.1);
  private final InitialValues.Seeded init = new InitialValues.Seeded(42, 0.5f);

  private float[] initialValues() {
    float[] v = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      v[i] = init.valueAt(i);
    }
    return v;
  }

  private Parameters train(int shards) throws Exception {
    return train(shards, false);
  }

  private Parameters train(int shards, boolean fused) throws Exception {
    try (ParameterServer server = Fixtures.server(shards)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, shards));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(new JobSpec(SIZE, sgd, init, PARTITIONS, new ConsistencyMode.Sync()));
        Fixtures.runWorkers(cfg, PARTITIONS, 0, ROUNDS, fused);
        assertEquals(ROUNDS, admin.awaitRound(ROUNDS, Duration.ofSeconds(5)));
        List<RoundStats> history = admin.history(0);
        assertEquals(ROUNDS, history.size());
        assertEquals(PARTITIONS, history.get(0).pushes());
        assertEquals(Fixtures.examples(0) + Fixtures.examples(1) + Fixtures.examples(2)
            + Fixtures.examples(3), history.get(ROUNDS - 1).examples());
        return admin.snapshot();
      }
    }
  }

  @Test
  void concurrentClientsMatchTheInProcessReferenceExactly() throws Exception {
    Parameters p = train(1);
    assertEquals(ROUNDS, p.version());
    assertArrayEquals(Fixtures.reference(sgd, initialValues(), PARTITIONS, ROUNDS), p.values());
  }

  @Test
  void aPartitionWithAnEmptyMinibatchCompletesTheRoundWithWeightZero() throws Exception {
    try (ParameterServer server = Fixtures.server(1)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 1));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient c = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(3, sgd, 2));
        c.push(GradientPush.gradient(0, 0, 0, 5, 1.0, new float[] {1f, 2f, 3f}));
        // partition 1 had no rows this round: its payload must not count
        float[] next = c.pushAndPull(GradientPush.gradient(0, 1, 0, 0, 0.0,
            new float[] {100f, 100f, 100f}));
        assertArrayEquals(new float[] {-0.1f, -0.2f, -0.3f}, next, 1e-7f);
      }
    }
  }

  /**
   * pushThenPull returns once its push is written: one thread can send both partitions' pushes
   * of a round over three shards before reading either reply (with blocking pushAndPull it would
   * wait out the pull deadline on the first).
   */
  @Test
  void pushThenPullSendsAtOnceAndAwaitReadsTheNextRound() throws Exception {
    try (ParameterServer server = Fixtures.server(3)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 3));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           ParameterServerClient a = ParameterServerClient.connect(cfg);
           ParameterServerClient b = ParameterServerClient.connect(cfg)) {
        admin.init(JobSpec.sync(7, sgd, 2));
        float[] g0 = {1, 2, 3, 4, 5, 6, 7};
        float[] g1 = {-7, 6, -5, 4, -3, 2, -1};
        float[] intoA = new float[7];
        float[] intoB = new float[7];
        var pendingA = a.pushThenPull(GradientPush.gradient(0, 0, 0, 5, 1.0, g0), intoA);
        var pendingB = b.pushThenPull(GradientPush.gradient(0, 1, 0, 15, 1.0, g1), intoB);
        float[] expected = new float[7];
        for (int i = 0; i < 7; i++) {
          expected[i] = (float) (-0.1 * ((5.0 * g0[i] + 15.0 * g1[i]) / 20));
        }
        assertArrayEquals(expected, pendingA.await(), 1e-6f);
        assertArrayEquals(expected, pendingB.await(), 1e-6f);
        assertEquals(1, a.pullVersioned(1).version(), "the client takes calls again after await");
      }
    }
  }

  @Test
  void pushAndPullGivesTheSameParametersAsPushThenPull() throws Exception {
    Parameters fused = train(3, true);
    assertEquals(ROUNDS, fused.version());
    assertArrayEquals(Fixtures.reference(sgd, initialValues(), PARTITIONS, ROUNDS),
        fused.values());
  }

  @Test
  void shardsSpreadOverTwoProcessesGiveTheSameParameters() throws Exception {
    try (ParameterServer a = ParameterServer.start(
             ServerConfig.loopback(Fixtures.TOKEN).withShards(List.of(0, 1)));
         ParameterServer b = ParameterServer.start(
             ServerConfig.loopback(Fixtures.TOKEN).withShards(List.of(2)))) {
      List<InetSocketAddress> shards = List.of(new InetSocketAddress("127.0.0.1", a.port()),
          new InetSocketAddress("127.0.0.1", a.port()),
          new InetSocketAddress("127.0.0.1", b.port()));
      ClientConfig cfg = Fixtures.client(shards);
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(new JobSpec(SIZE, sgd, init, PARTITIONS, new ConsistencyMode.Sync()));
        Fixtures.runWorkers(cfg, PARTITIONS, 0, ROUNDS);
        assertArrayEquals(Fixtures.reference(sgd, initialValues(), PARTITIONS, ROUNDS),
            admin.snapshot().values());
        admin.shutdown();
      }
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        a.blockUntilShutdown();
        b.blockUntilShutdown();
      });
    }
  }

  @Test
  void fourShardsGiveTheSameParametersAsOne() throws Exception {
    Parameters one = train(1);
    Parameters four = train(4);
    assertEquals(ROUNDS, four.version());
    assertArrayEquals(one.values(), four.values());
  }
}
