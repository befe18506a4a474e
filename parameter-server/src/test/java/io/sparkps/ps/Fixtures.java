package io.sparkps.ps;

import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Optimizer;
import io.sparkps.core.optim.OptimizerState;
import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.client.RetryPolicy;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Shared test set-up: a token, deterministic fake workers and the in-process reference. */
public final class Fixtures {
  public static final String TOKEN = "test-token-0123456789";

  private Fixtures() {}

  /** The optimizer the tests use (the one place to change if core's constructors change). */
  public static Optimizer sgd(double rate) {
    return new Sgd(new LearningRateSchedule.Constant(rate));
  }

  /** A client config for {@code shards} servers' addresses (one entry per shard). */
  public static ClientConfig client(List<InetSocketAddress> shards) {
    return ClientConfig.of(shards, TOKEN).withPullDeadline(Duration.ofSeconds(10))
        .withRetry(new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(200)));
  }

  /** {@code count} shard addresses, all served by {@code server}. */
  public static List<InetSocketAddress> addresses(ParameterServer server, int count) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new InetSocketAddress("127.0.0.1", server.port()));
    }
    return out;
  }

  /** A server on loopback hosting shards 0 to {@code shards - 1}. */
  public static ParameterServer server(int shards) throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      ids.add(i);
    }
    return ParameterServer.start(ServerConfig.loopback(TOKEN).withShards(ids));
  }

  /** Examples of partition {@code p}: different per partition, so the weighting matters. */
  public static long examples(int p) {
    return 10 + 7L * p;
  }

  /** A deterministic gradient that depends on the parameters, the round and the partition. */
  public static float[] gradient(float[] params, long round, int partition) {
    float[] g = new float[params.length];
    for (int i = 0; i < g.length; i++) {
      long h = (round * 1_000_003L + partition * 7919L + i) * 0x9E3779B97F4A7C15L;
      float noise = ((h >>> 40) / (float) (1L << 24)) - 0.5f;
      g[i] = 0.3f * params[i] + noise;
    }
    return g;
  }

  public static GradientPush push(float[] params, long round, int partition) {
    return GradientPush.gradient(round, partition, 0, examples(partition), 1.5 * partition + round,
        gradient(params, round, partition));
  }

  /** Runs {@code partitions} workers for rounds {@code from} to {@code to - 1}, concurrently. */
  public static void runWorkers(ClientConfig config, int partitions, long from, long to)
      throws Exception {
    runWorkers(config, partitions, from, to, false);
  }

  /** As above; with {@code fused} the workers use pushAndPull instead of push, then pull. */
  public static void runWorkers(ClientConfig config, int partitions, long from, long to,
      boolean fused) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(partitions);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int part = p;
        fs.add(pool.submit(() -> {
          try (ParameterServerClient c = ParameterServerClient.connect(
              config.withName("partition-" + part))) {
            float[] params = c.pull(from);
            for (long r = from; r < to; r++) {
              if (fused) {
                params = c.pushAndPull(push(params, r, part), params); // as EpochTask does
              } else {
                c.push(push(params, r, part));
                params = c.pull(r + 1);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The same rounds in one process: sum in partition order, divide, step. */
  public static float[] reference(Optimizer opt, float[] initial, int partitions, long rounds) {
    float[] params = initial.clone();
    OptimizerState state = opt.newState(params.length);
    for (long r = 0; r < rounds; r++) {
      float[] sum = new float[params.length];
      long total = 0;
      for (int p = 0; p < partitions; p++) {
        float[] g = gradient(params, r, p);
        float w = (float) examples(p);
        for (int i = 0; i < g.length; i++) {
          sum[i] += w * g[i];
        }
        total += examples(p);
      }
      for (int i = 0; i < sum.length; i++) {
        sum[i] /= (float) total;
      }
      opt.step(params, sum, state, r + 1);
    }
    return params;
  }
}
