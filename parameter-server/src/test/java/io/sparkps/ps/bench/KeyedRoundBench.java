package io.sparkps.ps.bench;

import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.api.KeyedPush;
import io.sparkps.ps.api.PayloadKind;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.KeyedClient;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.RowInitializer;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loopback benchmark of keyed rounds (a program, not a test): N clients each pull the rows of
 * {@code keys} distinct keys of {@code width} floats and push a gradient for the same keys,
 * round after round in sync mode (AdaGrad, a dense tail of 1 float), beside two plain-socket
 * floors: an echo of the bytes of one push (the keys and their rows) each way, one round trip
 * per client (the first baseline, kept for continuity), and {@link RoundExchange}, the round's
 * own frames in its own two round trips per client (pull and rows, push and acknowledgement).
 * Each client cycles through 64 precomputed sorted key sets drawn from a space of 500,000 keys
 * (or the third figure of {@code 5000x9x20000}), so the table stops growing after the first
 * rounds and the timed rounds update stored rows. Run through {@link ParameterServerBench} with
 * {@code -Dbench.keyed=5000x9}.
 */
final class KeyedRoundBench {
  private static final String TOKEN = "bench-token-0123456789";
  private static final int KEY_SETS = 64;

  private KeyedRoundBench() {}

  static void run(int[] clients, String keyed, int rounds, int repeats, int[] shardCounts)
      throws Exception {
    String[] kw = keyed.split("x");
    int keys = Integer.parseInt(kw[0]);
    int width = Integer.parseInt(kw[1]);
    int space = kw.length > 2 ? Integer.parseInt(kw[2]) : 500_000;
    int r = rounds > 0 ? rounds : 1000;
    int echoFloats = keys * (2 + width); // a key is 8 bytes: two floats' worth
    RoundExchange.Sizes frames = RoundExchange.keyedRound(keys, width, 1);
    System.out.printf(Locale.ROOT, "keyed rounds: %d keys of %d floats per client and round "
        + "(pull, then push) from a space of %d keys, medians of %d interleaved runs; echo of "
        + "%d bytes each way (one round trip); exchange of the round's frames, %s then %s "
        + "bytes (%d in all, two round trips)%n", keys, width, space, repeats, 4 * echoFloats,
        Arrays.toString(frames.requests()), Arrays.toString(frames.replies()), frames.total());
    System.out.printf(Locale.ROOT, "%-8s %-7s %-6s | %12s %12s %12s | %10s %6s %13s | "
        + "%10s %6s %13s | %14s %14s%n", "clients", "shards", "rounds", "ps rounds/s",
        "ps ms/round", "ps MB/s", "echo ms", "x echo", "x echo range", "exch ms", "x exch",
        "x exch range", "table ms/round", "rest x exch");
    for (int n : clients) {
      ParameterServerBench.echo(n, echoFloats, r);
      RoundExchange.run(n, frames, r);
      for (int shards : shardCounts) {
        keyedRounds(n, shards, keys, width, r, space);
      }
      for (int shards : shardCounts) {
        List<Double> ps = new ArrayList<>();
        List<Double> echo = new ArrayList<>();
        List<Double> exchange = new ArrayList<>();
        List<Double> mb = new ArrayList<>();
        List<Double> table = new ArrayList<>();
        for (int k = 0; k < repeats; k++) {
          echo.add(ParameterServerBench.echo(n, echoFloats, r).msPerRound());
          exchange.add(RoundExchange.run(n, frames, r));
          table.add(tableOnly(n, keys, width, r, space));
          double[] run = keyedRounds(n, shards, keys, width, r, space);
          ps.add(run[0]);
          mb.add(run[1]);
        }
        double[] ratios = ratios(ps, echo);
        double[] exRatios = ratios(ps, exchange);
        double p = median(ps);
        double e = median(echo);
        double x = median(exchange);
        double t = median(table);
        System.out.printf(Locale.ROOT, "%-8d %-7d %-6d | %12.1f %12.3f %12.0f | %10.3f %6.2f %13s "
            + "| %10.3f %6.2f %13s | %14.3f %14.2f%n", n, shards, r, 1e3 / p, p, median(mb), e,
            ratios[repeats / 2], range(ratios), x, exRatios[repeats / 2], range(exRatios), t,
            (p - t) / x);
      }
    }
  }

  /** Each run over its repeat's baseline run, sorted. */
  private static double[] ratios(List<Double> runs, List<Double> baseline) {
    double[] r = new double[runs.size()];
    for (int k = 0; k < r.length; k++) {
      r[k] = runs.get(k) / baseline.get(k);
    }
    Arrays.sort(r);
    return r;
  }

  private static String range(double[] sorted) {
    return String.format(Locale.ROOT, "%.2f-%.2f", sorted[0], sorted[sorted.length - 1]);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  /**
   * The server's table work of the same rounds in one thread, no network: each client's pull,
   * then each client's push of its gradient rows (one rule step per key and push: the keys of
   * different clients are disjoint here, so as many steps as the server's union makes), the
   * push given the slots its pull found, as the server does.
   */
  private static double tableOnly(int n, int keys, int width, int rounds, int space) {
    KeyedTable t = new KeyedTable(width, new SparseAdaGrad(0.01, 0, 1e-8),
        RowInitializer.zeros(width), 1L << 32);
    long[][][] sets = new long[n][][];
    for (int p = 0; p < n; p++) {
      sets[p] = keySets(p, keys, space);
    }
    float[] rows = new float[keys * width];
    float[] grad = new float[rows.length];
    int[][] slots = new int[n][keys];
    Arrays.fill(grad, 0.001f);
    int warmup = Math.max(KEY_SETS, rounds / 10);
    long t0 = 0;
    for (int r = 0; r < warmup + rounds; r++) {
      if (r == warmup) {
        t0 = System.nanoTime();
      }
      for (int p = 0; p < n; p++) {
        t.pull(sets[p][r % KEY_SETS], rows, slots[p]);
      }
      for (int p = 0; p < n; p++) {
        t.push(sets[p][r % KEY_SETS], grad, slots[p]);
      }
    }
    return (System.nanoTime() - t0) / 1e6 / rounds;
  }

  /** Client {@code part}'s {@link #KEY_SETS} sorted key sets of {@code keys} distinct keys. */
  private static long[][] keySets(int part, int keys, int space) {
    long[][] sets = new long[KEY_SETS][];
    for (int s = 0; s < KEY_SETS; s++) {
      sets[s] = new long[keys];
      for (int i = 0; i < keys; i++) {
        long slot = ((long) s * keys + i + (long) part * space / 2) % space;
        sets[s][i] = KeySharding.mix(slot); // a bijection: distinct slots, distinct keys
      }
      Arrays.sort(sets[s]);
    }
    return sets;
  }

  /** One run: {ms per round, MB/s the server moved}. */
  private static double[] keyedRounds(int n, int shards, int keys, int width, int rounds,
      int space) throws Exception {
    List<Integer> ids = java.util.stream.IntStream.range(0, shards).boxed().toList();
    try (ParameterServer server = ParameterServer.start(ServerConfig.loopback(TOKEN)
        .withShards(ids))) {
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port());
      ClientConfig cfg = ClientConfig.of(java.util.Collections.nCopies(shards, at), TOKEN)
          .withPullDeadline(Duration.ofMinutes(5));
      KeyedJobSpec spec = new KeyedJobSpec(width, new SparseAdaGrad(0.01, 0, 1e-8),
          Optional.empty(), 0, 1, 1L << 32, new float[1],
          io.sparkps.core.optim.Sgd.of(0.01), n, new ConsistencyMode.Sync());
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.initKeyed(spec);
      }
      long[] marks = new long[4];
      CyclicBarrier start = new CyclicBarrier(n, () -> {
        marks[0] = System.nanoTime();
        marks[1] = server.metrics().bytesIn() + server.metrics().bytesOut();
      });
      CyclicBarrier end = new CyclicBarrier(n, () -> {
        marks[2] = System.nanoTime();
        marks[3] = server.metrics().bytesIn() + server.metrics().bytesOut();
      });
      int warmup = Math.max(KEY_SETS, rounds / 10);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          int part = p;
          fs.add(pool.submit(() -> client(cfg, spec, part, keys, space, warmup, rounds, start,
              end)));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      double seconds = (marks[2] - marks[0]) / 1e9;
      return new double[] {seconds * 1e3 / rounds, (marks[3] - marks[1]) / 1e6 / seconds};
    }
  }

  private static Object client(ClientConfig cfg, KeyedJobSpec spec, int part, int keys,
      int space, int warmup, int rounds, CyclicBarrier start, CyclicBarrier end)
      throws Exception {
    long[][] sets = keySets(part, keys, space);
    float[] rows = new float[keys * spec.width()];
    float[] grad = new float[rows.length];
    Arrays.fill(grad, 0.001f * (part + 1));
    float[] tail = new float[1];
    try (KeyedClient c = KeyedClient.connect(cfg, spec)) {
      for (int r = 0; r < warmup + rounds; r++) {
        if (r == warmup) {
          start.await();
        }
        long[] k = sets[r % KEY_SETS];
        c.pull(r, k, keys, rows, tail);
        c.push(new KeyedPush(r, part, 0, 100, 1.0, PayloadKind.GRADIENT, k, keys, grad,
            new float[] {0.001f}));
      }
      end.await();
    }
    return null;
  }
}
