package io.sparkps.ps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.ps.Fixtures;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.api.PushOutcome;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.RowInitializer;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.keyed.SparseOptimizer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keyed pull and push in sync mode over real networked servers. */
@Timeout(60)
class KeyedSyncTest {
  private static final int WIDTH = 3;
  private static final SparseOptimizer ADAGRAD = new SparseAdaGrad(0.1, 0, 1e-10);

  static KeyedJobSpec spec(SparseOptimizer rule, float[] tail, int partitions,
      ConsistencyMode mode) {
    return new KeyedJobSpec(WIDTH, rule, Optional.empty(), 0, 7, 1 << 24, tail,
        Fixtures.sgd(0.1), partitions, mode);
  }

  /**
   * One round by hand: partition 0 (2 examples) pushes keys 1 and 5, partition 1 (6 examples)
   * keys 5 and 9. The mean of key 5 is (2 g0 + 6 g1) / 8, of key 1 2 g / 8, of key 9 6 g / 8;
   * AdaGrad from a zero row and zero accumulator moves each coordinate to -0.1 * sign(mean)
   * (and leaves a zero mean at 0). The tail takes an SGD step on its example-weighted mean.
   */
  @Test
  void aSyncRoundSumsPerKeyInPartitionOrderAndStepsOnce() throws Exception {
    try (ParameterServer server = Fixtures.server(2)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, 2));
      KeyedJobSpec spec = spec(ADAGRAD, new float[] {0.5f, -0.5f}, 2,
          new ConsistencyMode.Sync());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg);
           KeyedClient c0 = KeyedClient.connect(cfg, spec);
           KeyedClient c1 = KeyedClient.connect(cfg, spec)) {
        admin.initKeyed(spec);
        float[] rows = new float[4 * WIDTH];
        float[] tail = new float[2];
        long[] keys = {1, 5, 9, 42};
        assertEquals(0, c0.pull(0, keys, 4, rows, tail));
        assertArrayEquals(new float[4 * WIDTH], rows);
        assertArrayEquals(new float[] {0.5f, -0.5f}, tail);

        assertEquals(PushOutcome.ACCEPTED, c0.push(new KeyedPush(0, 0, 0, 2, 1.0,
            PayloadKind.GRADIENT, new long[] {1, 5}, 2,
            new float[] {1, -2, 0, 3, 3, 1}, new float[] {1, 2})));
        assertEquals(PushOutcome.ACCEPTED, c1.push(new KeyedPush(0, 1, 0, 6, 1.0,
            PayloadKind.GRADIENT, new long[] {5, 9}, 2,
            new float[] {-1, -1, 4, 0, -5, 0}, new float[] {3, 0})));
        assertEquals(PushOutcome.DUPLICATE, c0.push(new KeyedPush(0, 0, 1, 2, 1.0,
            PayloadKind.GRADIENT, new long[] {1, 5}, 2,
            new float[] {9, 9, 9, 9, 9, 9}, new float[] {9, 9})));

        assertEquals(1, c1.pull(1, keys, 4, rows, tail));
        // key 1: 2 * (1, -2, 0) / 8; key 5: (2*3 + 6*-1, 2*3 + 6*-1, 2*1 + 6*4) / 8 = (0, 0,
        // 26/8); key 9: 6 * (0, -5, 0) / 8; key 42 untouched
        float[] expected = {-0.1f, 0.1f, 0f, 0f, 0f, -0.1f, 0f, 0.1f, 0f, 0f, 0f, 0f};
        assertArrayEquals(expected, rows, 1e-7f);
        // tail mean (2*(1,2) + 6*(3,0)) / 8 = (2.5, 0.5); SGD 0.1
        assertArrayEquals(new float[] {0.5f - 0.25f, -0.5f - 0.05f}, tail, 1e-7f);
      }
    }
  }

  /** Many rounds of random keys: the servers match an in-process table exactly, any sharding. */
  @Test
  void randomRoundsMatchTheInProcessReferenceOnOneAndThreeShards() throws Exception {
    float[] one = train(1);
    float[] three = train(3);
    assertArrayEquals(reference(), one);
    assertArrayEquals(one, three);
  }

  /** Keyed rounds over TLS (as a training run's connections) end where plain TCP ends. */
  @Test
  void keyedRoundsOverTlsMatchPlainTcp() throws Exception {
    KeyedJobSpec spec = spec(ADAGRAD, new float[] {0.5f, 1f, -1f}, 2, new ConsistencyMode.Sync());
    io.sparkps.ps.security.SelfSignedTls tls =
        io.sparkps.ps.security.SelfSignedTls.generate("sparkps-test");
    float[][] out = new float[2][];
    for (int t = 0; t < 2; t++) {
      ServerConfig sc = ServerConfig.loopback(Fixtures.TOKEN).withShards(java.util.List.of(0, 1));
      try (ParameterServer server = ParameterServer.start(t == 0 ? sc : sc.withTls(tls))) {
        ClientConfig plain = Fixtures.client(Fixtures.addresses(server, 2));
        ClientConfig cfg = t == 0 ? plain : plain.withTrustedCertificatePem(tls.certificatePem());
        try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
          admin.initKeyed(spec);
          io.sparkps.ps.KeyedWorkers.run(cfg, spec, 2, 0, 3);
        }
        long[] keys = io.sparkps.ps.KeyedWorkers.allKeys(2, 3);
        out[t] = new float[keys.length * WIDTH + 3];
        float[] tail = new float[3];
        try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
          assertEquals(3, c.pull(3, keys, keys.length, out[t], tail));
        }
        System.arraycopy(tail, 0, out[t], keys.length * WIDTH, 3);
      }
    }
    assertArrayEquals(out[0], out[1]);
  }

  private static final int PARTITIONS = 3;
  private static final int ROUNDS = 5;
  private static final long[] PROBE = {-7, 0, 3, 11, 17, 1L << 40, 99};

  private static KeyedPush push(long round, int partition) {
    Random r = new Random(round * 31 + partition);
    TreeMap<Long, Boolean> set = new TreeMap<>();
    for (int i = 0; i < 8; i++) {
      set.put(PROBE[r.nextInt(PROBE.length)], true);
    }
    long[] keys = set.keySet().stream().mapToLong(Long::longValue).toArray();
    float[] rows = new float[keys.length * WIDTH];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) r.nextGaussian();
    }
    return new KeyedPush(round, partition, 0, 5 + 3L * partition, 0.5, PayloadKind.GRADIENT,
        keys, keys.length, rows, new float[] {(float) r.nextGaussian()});
  }

  private float[] train(int shards) throws Exception {
    try (ParameterServer server = Fixtures.server(shards)) {
      ClientConfig cfg = Fixtures.client(Fixtures.addresses(server, shards));
      KeyedJobSpec spec = spec(ADAGRAD, new float[] {0.25f}, PARTITIONS,
          new ConsistencyMode.Sync());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(spec);
        ExecutorService pool = Executors.newFixedThreadPool(PARTITIONS);
        try {
          Future<?>[] fs = new Future<?>[PARTITIONS];
          for (int p = 0; p < PARTITIONS; p++) {
            int part = p;
            fs[p] = pool.submit(() -> {
              try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
                for (long round = 0; round < ROUNDS; round++) {
                  KeyedPush push = push(round, part);
                  c.pull(round, push.keys(), push.count(), new float[push.rows().length],
                      new float[1]);
                  c.push(push);
                }
              }
              return null;
            });
          }
          for (Future<?> f : fs) {
            f.get();
          }
        } finally {
          pool.shutdownNow();
        }
        try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
          float[] rows = new float[PROBE.length * WIDTH + 1];
          long[] sorted = PROBE.clone();
          Arrays.sort(sorted);
          float[] tail = new float[1];
          assertEquals(ROUNDS, c.pull(ROUNDS, sorted, sorted.length, rows, tail));
          rows[rows.length - 1] = tail[0];
          return rows;
        }
      }
    }
  }

  /** The same rounds on one table: sum per key in partition order, divide, step. */
  private static float[] reference() {
    KeyedTable t = new KeyedTable(WIDTH, ADAGRAD, RowInitializer.zeros(WIDTH), 1 << 24);
    float tail = 0.25f;
    for (long round = 0; round < ROUNDS; round++) {
      TreeMap<Long, float[]> sum = new TreeMap<>();
      long examples = 0;
      float tailSum = 0;
      for (int p = 0; p < PARTITIONS; p++) {
        KeyedPush push = push(round, p);
        float w = (float) push.examples();
        examples += push.examples();
        for (int k = 0; k < push.count(); k++) {
          float[] s = sum.computeIfAbsent(push.keys()[k], x -> new float[WIDTH]);
          for (int i = 0; i < WIDTH; i++) {
            s[i] += w * push.rows()[k * WIDTH + i];
          }
        }
        tailSum = p == 0 ? w * push.tail()[0] + 0f : tailSum + w * push.tail()[0];
      }
      long[] keys = sum.keySet().stream().mapToLong(Long::longValue).toArray();
      float[] mean = new float[keys.length * WIDTH];
      for (int k = 0; k < keys.length; k++) {
        for (int i = 0; i < WIDTH; i++) {
          mean[k * WIDTH + i] = sum.get(keys[k])[i] / (float) examples;
        }
      }
      t.push(keys, mean);
      tail -= (float) 0.1 * (tailSum / (float) examples);
    }
    long[] sorted = PROBE.clone();
    Arrays.sort(sorted);
    float[] out = new float[sorted.length * WIDTH + 1];
    float[] rows = new float[sorted.length * WIDTH];
    t.pull(sorted, rows);
    System.arraycopy(rows, 0, out, 0, rows.length);
    out[out.length - 1] = tail;
    return out;
  }
}
