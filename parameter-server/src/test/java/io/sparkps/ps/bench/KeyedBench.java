package io.sparkps.ps.bench;

import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.ps.keyed.Ftrl;
import io.sparkps.ps.keyed.KeySharding;
import io.sparkps.ps.keyed.KeyedTable;
import io.sparkps.ps.keyed.LazyAdam;
import io.sparkps.ps.keyed.RowInitializer;
import io.sparkps.ps.keyed.SparseAdaGrad;
import io.sparkps.ps.keyed.SparseOptimizer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Keyed-table measurements (a program, not a test): bytes per stored key of a table of 1M keys
 * with rows of 9 floats (a factorization machine with 8 factors) under each sparse rule, counted
 * from the table's arrays and from the heap after a full GC; and the balance of {@link
 * KeySharding} on Zipf-distributed keys against contiguous ranges and a plain modulo.
 * Arguments: keys (default 1,000,000), Zipf draws (default 10,000,000).
 */
public final class KeyedBench {
  private KeyedBench() {
  }

  public static void main(String[] args) {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long draws = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    System.out.println("## Bytes per stored key: " + keys + " random 64-bit keys, rows of 9 floats");
    System.out.println("| rule | floats per record | table arrays, bytes/key | heap after GC, "
        + "bytes/key |");
    System.out.println("|---|---|---|---|");
    memory("AdaGrad", new SparseAdaGrad(0.05, 0, 1e-10), keys);
    memory("lazy Adam", LazyAdam.of(0.001), keys);
    memory("FTRL-Proximal", new Ftrl(0.1, 1, 1, 0), keys);
    System.out.println();
    balance(1_000_000, 1.1, draws);
  }

  private static void memory(String name, SparseOptimizer opt, int keys) {
    long before = usedAfterGc();
    KeyedTable t = new KeyedTable(9, opt, RowInitializer.of(
        FmSpec.of(1 << 26, 8, new Loss.LogLoss()).build(), 1), 1L << 34);
    SplittableRandom rng = new SplittableRandom(17);
    int batch = 10_000;
    float[] grad = new float[batch * 9];
    Arrays.fill(grad, 0.01f);
    for (int done = 0; done < keys; done += batch) {
      long[] k = rng.longs(batch).sorted().distinct().toArray();
      t.push(k, Arrays.copyOf(grad, k.length * 9));
    }
    long heap = usedAfterGc() - before;
    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", name, t.recordFloats(),
        (double) t.bytes() / t.size(), (double) heap / t.size());
    if (t.size() == 0) {
      throw new AssertionError("empty table");
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Max/mean shard load of Zipf(exponent) ranks 0..n-1 used as keys. */
  private static void balance(int n, double exponent, long draws) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += Math.pow(r + 1, -exponent);
      cdf[r] = sum;
    }
    for (int r = 0; r < n; r++) {
      cdf[r] /= sum;
    }
    System.out.printf(Locale.ROOT, "## Shard balance: Zipf exponent %.1f over %d keys (key = rank,"
        + " 0 the hottest; it takes %.1f%% of the draws), %d draws, requests of 1,000 draws%n",
        exponent, n, 100 * cdf[0], draws);
    System.out.println("| shards | map | touched keys max/mean | touches max/mean | "
        + "unique keys per request max/mean |");
    System.out.println("|---|---|---|---|---|");
    for (int shards : new int[] {4, 8}) {
      KeySharding hashed = new KeySharding(shards, 1);
      long width = (n + shards - 1) / shards;
      row(shards, "hashed ranges (KeySharding)", cdf, draws, hashed::shardOf);
      row(shards, "key modulo shards", cdf, draws, k -> (int) (k % shards));
      row(shards, "contiguous key ranges", cdf, draws, k -> (int) (k / width));
    }
  }

  private static void row(int shards, String name, double[] cdf, long draws,
      java.util.function.LongToIntFunction map) {
    int n = cdf.length;
    int[] shardOf = new int[n];
    for (int k = 0; k < n; k++) {
      shardOf[k] = map.applyAsInt(k);
    }
    long[] touches = new long[shards];
    long[] unique = new long[shards];
    boolean[] seen = new boolean[n];
    boolean[] ever = new boolean[n];
    int[] requestKeys = new int[1000];
    SplittableRandom rng = new SplittableRandom(23);
    for (long d = 0; d < draws; d += 1000) {
      int m = 0;
      for (int i = 0; i < 1000; i++) {
        int k = Arrays.binarySearch(cdf, rng.nextDouble());
        k = Math.min(n - 1, k < 0 ? -k - 1 : k);
        touches[shardOf[k]]++;
        ever[k] = true;
        if (!seen[k]) {
          seen[k] = true;
          requestKeys[m++] = k;
          unique[shardOf[k]]++;
        }
      }
      for (int i = 0; i < m; i++) {
        seen[requestKeys[i]] = false;
      }
    }
    long[] keyLoad = new long[shards];
    for (int k = 0; k < n; k++) {
      keyLoad[shardOf[k]] += ever[k] ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.3f |%n", shards, name,
        maxOverMean(keyLoad), maxOverMean(touches), maxOverMean(unique));
  }

  private static double maxOverMean(long[] load) {
    long max = 0;
    long sum = 0;
    for (long l : load) {
      max = Math.max(max, l);
      sum += l;
    }
    return max / ((double) sum / load.length);
  }
}
