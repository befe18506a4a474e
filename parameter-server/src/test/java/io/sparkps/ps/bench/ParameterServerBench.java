package io.sparkps.ps.bench;

import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.GradientPush;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.security.SelfSignedTls;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loopback benchmark (a program, not a test): sync rounds of N clients that push a precomputed
 * gradient and pull the next version (as two calls, and fused as {@code pushAndPull} into the
 * array pulled before, as workers do), so the clients' compute time is zero and the whole round
 * time is overhead; beside it, a plain blocking-socket echo of the same bytes (each client sends
 * its payload and reads it back) as the floor.
 *
 * <p>Run: {@code mvn -o -q -pl parameter-server -am -Pbench -DskipTests test}, optionally with
 * {@code -Dbench.clients=2,8 -Dbench.params=100000,10000000 -Dbench.rounds=0 -Dbench.repeats=3
 * -Dbench.shards=1,2 -Dbench.warmup=0 -Dbench.tls=false -Dbench.keyed=none}
 * (see the {@code bench} profile in this module's pom). Each combination of clients and size
 * first runs every kind untimed ({@code bench.warmup} rounds; 0: 6000 below 1M parameters, 8
 * above), so that the timed runs measure JIT-compiled code.
 */
public final class ParameterServerBench {
  private static final String TOKEN = "bench-token-0123456789";
  /** With TLS (as a training run's connections), a certificate made once for the whole run. */
  private static java.util.Optional<SelfSignedTls> tls = java.util.Optional.empty();

  private ParameterServerBench() {}

  public static void main(String[] args) throws Exception {
    int[] clients = args.length > 0 ? ints(args[0]) : new int[] {2, 8};
    int[] sizes = args.length > 1 ? ints(args[1]) : new int[] {100_000, 10_000_000};
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int[] shardCounts = args.length > 4 ? ints(args[4]) : new int[] {1};
    int warmRounds = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    if (args.length > 6 && Boolean.parseBoolean(args[6])) {
      tls = java.util.Optional.of(SelfSignedTls.generate("sparkps-bench"));
    }
    if (args.length > 7 && args[7].contains("x")) {
      // -Dbench.keyed=5000x9: keyed rounds of 5,000 keys of 9 floats instead of dense ones
      KeyedRoundBench.run(clients, args[7], rounds, repeats, shardCounts);
      return;
    }
    System.out.printf(Locale.ROOT, "medians of %d interleaved runs; shards per server: %s; "
        + "parameter server over %s%n", repeats, java.util.Arrays.toString(shardCounts),
        tls.isPresent() ? "TLS (per-run certificate, pinned)" : "plain TCP");
    System.out.printf(Locale.ROOT,
        "%-8s %-10s %-6s %-22s | %12s %12s %12s | %12s %12s %12s | %6s %6s %13s%n",
        "clients", "params", "rounds", "client call", "ps rounds/s", "ps ms/round", "ps MB/s",
        "echo rt/s", "echo ms/rt", "echo MB/s", "x echo", "bw %", "x echo range");
    for (int size : sizes) {
      for (int n : clients) {
        int r = rounds > 0 ? rounds : (size >= 1_000_000 ? 8 : 2000);
        // untimed runs of each kind first, so that the timed ones measure compiled code: a few
        // hundred rounds run partly in the interpreter and C1 (at 2 x 100k, 400-round runs took
        // 0.85 to 1.2 ms a round, runs after 10 s of rounds 0.57 to 0.64 ms)
        int warm = warmRounds > 0 ? warmRounds : (size >= 1_000_000 ? 8 : 6000);
        echo(n, size, warm);
        for (int shards : shardCounts) {
          parameterServer(n, size, warm, shards, false);
          parameterServer(n, size, warm, shards, true);
        }
        List<Result> echo = new ArrayList<>();
        List<List<Result>> twoCalls = new ArrayList<>();
        List<List<Result>> fused = new ArrayList<>();
        for (int s = 0; s < shardCounts.length; s++) {
          twoCalls.add(new ArrayList<>());
          fused.add(new ArrayList<>());
        }
        for (int k = 0; k < repeats; k++) {
          echo.add(echo(n, size, r));
          for (int s = 0; s < shardCounts.length; s++) {
            twoCalls.get(s).add(parameterServer(n, size, r, shardCounts[s], false));
            fused.get(s).add(parameterServer(n, size, r, shardCounts[s], true));
          }
        }
        for (int s = 0; s < shardCounts.length; s++) {
          String shards = shardCounts[s] == 1 ? "" : ", " + shardCounts[s] + " shards";
          print(n, size, r, "pull, push" + shards, twoCalls.get(s), echo);
          print(n, size, r, "pushAndPull" + shards, fused.get(s), echo);
        }
      }
    }
  }

  private static Result median(List<Result> results) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort(java.util.Comparator.comparingDouble(Result::msPerRound));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * One line: the median run of each side, and the ratio to the echo as the median of the
   * repeats' own ratios (each run over the echo run of its repeat, so that the machine getting
   * busier or quieter between repeats cancels out), with their range.
   */
  private static void print(int n, int size, int r, String call, List<Result> runs,
      List<Result> echoes) {
    Result ps = median(runs);
    Result echo = median(echoes);
    double[] ratios = new double[runs.size()];
    for (int k = 0; k < ratios.length; k++) {
      ratios[k] = runs.get(k).msPerRound() / echoes.get(k).msPerRound();
    }
    java.util.Arrays.sort(ratios);
    System.out.printf(Locale.ROOT, "%-8d %-10d %-6d %-22s | %12.1f %12.3f %12.0f | "
        + "%12.1f %12.3f %12.0f | %6.2f %6.0f %13s%n",
        n, size, r, call, 1e3 / ps.msPerRound(), ps.msPerRound(), ps.mbPerSecond(),
        1e3 / echo.msPerRound(), echo.msPerRound(), echo.mbPerSecond(),
        ratios[ratios.length / 2], 100 * ps.mbPerSecond() / echo.mbPerSecond(),
        String.format(Locale.ROOT, "%.2f-%.2f", ratios[0], ratios[ratios.length - 1]));
  }

  record Result(double msPerRound, double mbPerSecond) {}

  private static int[] ints(String csv) {
    return java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * Sync rounds through the real server and client, the parameters split over {@code shards}
   * shards of one server process (each client holds a connection per shard); bytes counted by
   * the server.
   */
  static Result parameterServer(int n, int size, int rounds, int shards, boolean fused)
      throws Exception {
    List<Integer> ids = java.util.stream.IntStream.range(0, shards).boxed().toList();
    ServerConfig sc = ServerConfig.loopback(TOKEN).withShards(ids);
    try (ParameterServer server = ParameterServer.start(tls.isPresent()
        ? sc.withTls(tls.get()) : sc)) {
      InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port());
      ClientConfig plain = ClientConfig.of(java.util.Collections.nCopies(shards, at), TOKEN)
          .withPullDeadline(Duration.ofMinutes(5));
      ClientConfig cfg = tls.isPresent()
          ? plain.withTrustedCertificatePem(tls.get().certificatePem()) : plain;
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(cfg)) {
        admin.init(JobSpec.sync(size, Sgd.of(1e-6), n));
      }
      // the clients stay connected from the warm-up rounds to the timed ones, as a worker's
      // client does for a whole epoch; the clock and the byte count start and stop when every
      // client has reached the barrier (its action runs before any client goes on)
      long[] marks = new long[4];
      CyclicBarrier start = new CyclicBarrier(n, () -> {
        marks[0] = System.nanoTime();
        marks[1] = server.metrics().bytesIn() + server.metrics().bytesOut();
      });
      CyclicBarrier end = new CyclicBarrier(n, () -> {
        marks[2] = System.nanoTime();
        marks[3] = server.metrics().bytesIn() + server.metrics().bytesOut();
      });
      int warmup = Math.max(2, rounds / 10);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          int part = p;
          fs.add(pool.submit(() -> client(cfg, part, size, warmup, rounds, fused, start, end)));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      double seconds = (marks[2] - marks[0]) / 1e9;
      return new Result(seconds * 1e3 / rounds, (marks[3] - marks[1]) / 1e6 / seconds);
    }
  }

  private static Object client(ClientConfig cfg, int part, int size, int warmup, int rounds,
      boolean fused, CyclicBarrier start, CyclicBarrier end) throws Exception {
    float[] gradient = new float[size];
    java.util.Arrays.fill(gradient, 0.001f * (part + 1));
    try (ParameterServerClient c = ParameterServerClient.connect(cfg)) {
      float[] params = c.pull(0);
      for (int r = 0; r < warmup + rounds; r++) {
        if (r == warmup) {
          start.await();
        }
        GradientPush push = GradientPush.gradient(r, part, 0, 100, 1.0, gradient);
        if (fused) {
          params = c.pushAndPull(push, params); // as EpochTask does
        } else {
          c.push(push);
          c.pull(r + 1);
        }
      }
      end.await();
    }
    return null;
  }

  /**
   * N clients each echo size * 4 bytes through a thread-per-connection blocking server, over
   * blocking socket channels from 64-byte aligned direct buffers on both sides. Aligned, because
   * the kernel copies to and from 16-byte-but-not-32-byte aligned memory about three times more
   * slowly, and heap arrays written through {@code java.net.Socket} streams go through the JDK's
   * malloc'ed temporary buffers, aligned one way or the other by chance: such an echo measured
   * 0.31 ms in one run and 0.97 ms in the next for 2 x 100k floats. This one is the stable floor.
   */
  static Result echo(int n, int size, int rounds) throws Exception {
    int bytes = size * Float.BYTES;
    try (ServerSocketChannel ss = ServerSocketChannel.open()) {
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      int port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
      ExecutorService pool = Executors.newCachedThreadPool();
      try {
        pool.submit(() -> acceptEchoes(ss, pool, bytes));
        CyclicBarrier start = new CyclicBarrier(n + 1);
        CyclicBarrier end = new CyclicBarrier(n + 1);
        int warmup = Math.max(2, rounds / 10);
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          fs.add(pool.submit(() -> echoClient(port, bytes, warmup, rounds, start, end)));
        }
        start.await();
        long t0 = System.nanoTime();
        end.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Future<?> f : fs) {
          f.get();
        }
        return new Result(seconds * 1e3 / rounds, 2.0 * n * bytes * rounds / 1e6 / seconds);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static ByteBuffer aligned(int bytes) {
    return ByteBuffer.allocateDirect(bytes + 128).alignedSlice(64).limit(bytes).slice();
  }

  private static Object echoClient(int port, int bytes, int warmup, int rounds,
      CyclicBarrier start, CyclicBarrier end) throws Exception {
    try (SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer buf = aligned(bytes);
      for (int i = 0; i < warmup; i++) {
        roundTrip(s, buf);
      }
      start.await();
      for (int i = 0; i < rounds; i++) {
        roundTrip(s, buf);
      }
      end.await();
    }
    return null;
  }

  private static void roundTrip(SocketChannel s, ByteBuffer buf) throws IOException {
    buf.clear();
    while (buf.hasRemaining()) {
      s.write(buf);
    }
    readFully(s, buf.clear());
  }

  private static void readFully(SocketChannel s, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (s.read(buf) < 0) {
        throw new EOFException();
      }
    }
  }

  private static Object acceptEchoes(ServerSocketChannel ss, ExecutorService pool, int bytes) {
    while (ss.isOpen()) {
      try {
        SocketChannel s = ss.accept();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
        pool.submit(() -> {
          ByteBuffer buf = aligned(bytes);
          try (s) {
            while (true) {
              readFully(s, buf.clear());
              buf.flip();
              while (buf.hasRemaining()) {
                s.write(buf);
              }
            }
          } catch (IOException e) {
            return null;
          }
        });
      } catch (IOException e) {
        return null;
      }
    }
    return null;
  }
}
