package io.sparkps.bench.compare;

import io.sparkps.core.data.CtrSynthData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The sparse comparison's datasets, prepared once into {@link CsrFile}s that every trainer's JVM
 * reads: {@code ctr-N} ({@link CtrSynthData}, seed 42, first 80% train, last 20% held out),
 * hashed into {@code 2^bits} columns by {@link CtrHashing}, with its raw CSV kept beside them
 * ({@code train.csv}, {@code test.csv}) for trainers that hash for themselves and for the check
 * against FeatureHasher; and a9a read as sparse LibSVM ({@link SparseLibSvm}, 123 columns, its own
 * test file). For ctr-N the truth's own held-out scores are written too ({@code truth.json}).
 */
public final class SparseBenchData {

  /** Where a prepared sparse dataset lives: {@code train-P.csr} and {@code test-P.csr}. */
  public record Prepared(String name, Path dir, int parts, int features, long trainRows,
      long testRows) {

    public Path trainPart(int p) {
      return dir.resolve("train-" + p + ".csr");
    }

    public Path testPart(int p) {
      return dir.resolve("test-" + p + ".csr");
    }

    /** The raw held-out CSV (ctr-N only). */
    public Path testCsv() {
      return dir.resolve("test.csv");
    }

    /** The truth's held-out result (ctr-N only). */
    public Path truth() {
      return dir.resolve("truth.json");
    }

    /** All held-out rows as one block, in order. */
    public SparseRows test() {
      SparseRows[] b = new SparseRows[parts];
      for (int p = 0; p < parts; p++) {
        b[p] = CsrFile.read(testPart(p));
      }
      return SparseRows.concat(b);
    }
  }

  /** The names {@link #prepare} knows. */
  public static final List<String> KNOWN = List.of("ctr-N (e.g. ctr-1000000)", "a9a");

  private SparseBenchData() {
  }

  /** Whether {@code name} has a sparse form. */
  public static boolean has(String name) {
    String d = name.toLowerCase(Locale.ROOT);
    return d.startsWith("ctr-") || d.equals("a9a");
  }

  /** Whether {@code name} has only a sparse form (no dense trainer runs on it). */
  public static boolean sparseOnly(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith("ctr-");
  }

  /**
   * Writes {@code name} into {@code cache} split into {@code parts} contiguous parts (unless
   * already there), hashing ctr-N into {@code 2^bits} columns and reading a9a from
   * {@code datasets/a9a/}.
   */
  public static Prepared prepare(String name, Path datasets, Path cache, int parts, int bits) {
    boolean ctr = sparseOnly(name);
    Path dir = cache.resolve(name + (ctr ? "-sparse-b" + bits : "-sparse") + "-p" + parts);
    Path done = dir.resolve("READY");
    try {
      if (Files.exists(done)) {
        return describe(name, dir, parts, Files.readString(done).trim());
      }
      Files.createDirectories(dir);
      SparseRows train;
      SparseRows test;
      if (ctr) {
        long n = parseRows(name);
        CtrHashing hashing = new CtrHashing(bits);
        CtrSynthData gen = new CtrSynthData(CtrSynthData.DEFAULT_SEED);
        long cut = CtrSynthData.trainRows(n);
        train = ctrRows(gen, hashing, 0, cut, dir.resolve("train.csv"));
        test = ctrRows(gen, hashing, cut, n, dir.resolve("test.csv"));
        truth(name, gen, cut, n, parts, train.rows()).write(dir.resolve("truth.json"));
      } else if (name.equalsIgnoreCase("a9a")) {
        train = SparseLibSvm.read(datasets.resolve("a9a/a9a"), 123);
        test = SparseLibSvm.read(datasets.resolve("a9a/a9a.t"), 123);
      } else {
        throw new IllegalArgumentException("no sparse form of dataset '" + name + "'; use one "
            + "of " + KNOWN);
      }
      for (int p = 0; p < parts; p++) {
        CsrFile.write(train.part(p, parts), dir.resolve("train-" + p + ".csr"));
        CsrFile.write(test.part(p, parts), dir.resolve("test-" + p + ".csr"));
      }
      String meta = train.cols() + " " + train.rows() + " " + test.rows();
      AtomicFiles.write(done, tmp -> Files.writeString(tmp, meta + "\n"));
      return describe(name, dir, parts, meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + name + " in " + dir, e);
    }
  }

  /** A dataset {@link #prepare} wrote into {@code dir}. */
  public static Prepared open(String name, Path dir, int parts) {
    try {
      return describe(name, dir, parts, Files.readString(dir.resolve("READY")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(dir + " holds no prepared dataset (no READY file)", e);
    }
  }

  private static Prepared describe(String name, Path dir, int parts, String meta) {
    String[] f = meta.split(" ");
    return new Prepared(name, dir, parts, Integer.parseInt(f[0]), Long.parseLong(f[1]),
        Long.parseLong(f[2]));
  }

  static long parseRows(String name) {
    String n = name.substring("ctr-".length()).replace("_", "");
    try {
      long rows = Long.parseLong(n);
      if (rows < 10 || rows > 50_000_000) {
        throw new NumberFormatException();
      }
      return rows;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dataset '" + name + "': ctr-N needs a row count N of "
          + "10 to 50000000, as in ctr-1000000");
    }
  }

  /** Rows {@code [from, to)} of ctr-N, hashed, and written raw to {@code csv}. */
  private static SparseRows ctrRows(CtrSynthData gen, CtrHashing hashing, long from, long to,
      Path csv) {
    SparseRows.Builder b = new SparseRows.Builder(hashing.buckets());
    AtomicFiles.write(csv, tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(CtrSynthData.header());
        w.write('\n');
        for (long i = from; i < to; i++) {
          CtrSynthData.Row r = gen.row(i);
          hashing.add(gen, r, b);
          w.write(gen.csvLine(r));
          w.write('\n');
        }
      }
    });
    return b.build();
  }

  /**
   * The truth's held-out result: the true probabilities' log loss (the Bayes log loss),
   * accuracy and AUC, as one point at 0 s, for the report's reference line.
   */
  private static TrainerResult truth(String name, CtrSynthData gen, long cut, long n, int cores,
      int trainRows) {
    int m = (int) (n - cut);
    float[] labels = new float[m];
    float[] p = new float[m];
    for (int i = 0; i < m; i++) {
      CtrSynthData.Row r = gen.row(cut + i);
      labels[i] = r.label();
      p[i] = (float) r.probability();
    }
    double[] s = HeldOut.score(labels, p);
    CtrSynthData.Summary sum = gen.score(cut, n);
    TrainerResult.Point point = new TrainerResult.Point(0, 0, sum.logLoss(), s[1],
        HeldOut.auc(labels, p));
    return new TrainerResult(Report.TRUTH, name, "true probabilities", String.format(
        Locale.ROOT, "seed %d; interactions cut to their additive part: log loss %.4f",
        gen.seed(), sum.additiveLogLoss()), cores, trainRows, m, 0, 0, 0, null,
        List.of(point), 0, 0, 0, "the Bayes log loss: no model can do better on these rows",
        null);
  }
}
