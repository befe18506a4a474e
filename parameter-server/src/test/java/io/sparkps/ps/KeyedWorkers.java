package io.sparkps.ps;

import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deterministic fake keyed workers: each round a partition draws its keys from a small skewed
 * key set, pulls their rows and pushes a gradient that depends on the rows it pulled (so a
 * server that served the wrong state would end elsewhere).
 */
public final class KeyedWorkers {
  private KeyedWorkers() {}

  /** The sorted keys partition {@code p} touches in {@code round}. */
  public static long[] keys(long round, int p) {
    Random r = new Random(round * 7919 + p);
    TreeSet<Long> set = new TreeSet<>();
    for (int i = 0; i < 12; i++) {
      int rank = (int) Math.floor(Math.pow(r.nextDouble(), 3) * 200);
      set.add(rank * 0x9E3779B97F4A7C15L); // spread over the signed 64-bit range
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }

  /** A gradient from the pulled rows and tail. */
  public static KeyedPush push(long round, int p, long[] keys, float[] rows, float[] tail,
      int width) {
    float[] g = new float[keys.length * width];
    for (int i = 0; i < g.length; i++) {
      g[i] = 0.5f * rows[i] + ((i * 31 + round * 7 + p) % 11 - 5) * 0.1f;
    }
    float[] t = new float[tail.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = 0.2f * tail[i] + 0.05f * (p + 1);
    }
    return new KeyedPush(round, p, 0, 3 + p, 0.7, PayloadKind.GRADIENT, keys, keys.length, g, t);
  }

  /** Runs {@code partitions} workers for rounds {@code from} to {@code to - 1}, concurrently. */
  public static void run(ClientConfig cfg, KeyedJobSpec spec, int partitions, long from, long to)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(partitions);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int part = p;
        fs.add(pool.submit(() -> {
          try (KeyedClient c = KeyedClient.connect(cfg.withName("partition-" + part), spec)) {
            for (long r = from; r < to; r++) {
              c.push(pulled(c, r, part));
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

  /** Pulls round {@code round}'s rows of the partition's keys and computes its push. */
  public static KeyedPush pulled(KeyedClient c, long round, int part) {
    long[] keys = keys(round, part);
    float[] rows = new float[keys.length * c.width()];
    float[] tail = new float[c.tailLength()];
    c.pull(round, keys, keys.length, rows, tail);
    return push(round, part, keys, rows, tail, c.width());
  }

  /** Every key any partition touches in rounds {@code [0, rounds)}, ascending. */
  public static long[] allKeys(int partitions, long rounds) {
    TreeSet<Long> set = new TreeSet<>();
    for (long r = 0; r < rounds; r++) {
      for (int p = 0; p < partitions; p++) {
        for (long k : keys(r, p)) {
          set.add(k);
        }
      }
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }
}
