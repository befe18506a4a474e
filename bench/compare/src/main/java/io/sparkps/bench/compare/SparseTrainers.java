package io.sparkps.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.FMClassificationModel;
import org.apache.spark.ml.classification.FMClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark MLlib's trainers on the sparse comparison's rows, as users run them: a cached DataFrame
 * of {@code SparseVector}s (for ctr-N, FeatureHasher's vectors: {@link FeatureHasherCheck}
 * checks it), {@code LogisticRegression} with its defaults and {@code FMClassifier}.
 *
 * <p>Held-out metrics over time as in {@link MllibTrainers}: MLlib has no hook per iteration,
 * so each trainer is fitted from scratch with growing {@code maxIter}; each point is a fit of its
 * own, timed alone, and the last is the final model. Both are scored here, in this JVM, from
 * their coefficients (the same formulas as their {@code predictRaw}).
 */
final class SparseTrainers {
  /** The sparse trainers this class runs. */
  static final List<String> NAMES = List.of("mllib-lr-sparse", "mllib-fm");
  /**
   * L2 regParam of both trainers: of 1e-5, 1e-4 and 1e-3, 1e-4 gave logistic regression the
   * lowest held-out log loss on ctr-200000 (0.4480 against 0.4729 and 0.4541; with MLlib's
   * default of 0 it overfits the 2^20 columns, 3.58 on ctr-20000).
   */
  static final String REG_PARAM = "1e-4";
  /**
   * FMClassifier's stepSize. Its default, 1.0, diverges on ctr-N (held-out log loss 8 to 25 on
   * ctr-20000); on ctr-200000, 20 AdamW iterations at 0.01 reached log loss 0.545, at 0.1 2.07,
   * and 30 at 0.03 (regParam 1e-4) 0.888: AdamW gives a rare column a full-sized step each
   * iteration, so larger steps overfit the rare tokens at once.
   */
  static final String FM_STEP_SIZE = "0.01";
  private static final int[] LR_CAPS = {1, 2, 3, 5, 8, 13, 21, 34, 55, 100};
  private static final int[] FM_CAPS = {5, 15, 40, 100};
  private static final int FM_WARMUP_ITER = 10;
  private static final int CHECK_ROWS = 2000;

  private SparseTrainers() {
  }

  /** The prepared training rows as a cached DataFrame of (label, SparseVector). */
  static Dataset<Row> frame(SparseContext ctx) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    List<String> files = new ArrayList<>();
    for (int p = 0; p < ctx.data().parts(); p++) {
      files.add(ctx.data().trainPart(p).toAbsolutePath().toString());
    }
    JavaRDD<Row> rows = sc.parallelize(files, files.size()).flatMap(f -> {
      SparseRows s = CsrFile.read(java.nio.file.Path.of(f));
      List<Row> out = new ArrayList<>(s.rows());
      for (int i = 0; i < s.rows(); i++) {
        int a = s.offsets()[i];
        int n = s.offsets()[i + 1] - a;
        int[] idx = new int[n];
        double[] val = new double[n];
        for (int k = 0; k < n; k++) {
          idx[k] = s.indices()[a + k];
          val[k] = s.values()[a + k];
        }
        out.add(RowFactory.create((double) s.labels()[i], Vectors.sparse(s.cols(), idx, val)));
      }
      return out.iterator();
    });
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> df = ctx.spark().createDataFrame(rows, schema)
        .persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    return df;
  }

  /** Runs {@code trainer} on the context's data. */
  static TrainerResult run(SparseContext ctx) {
    if (ctx.data().name().toLowerCase(java.util.Locale.ROOT).startsWith("ctr-")) {
      FeatureHasherCheck.check(ctx, CHECK_ROWS);
    }
    Dataset<Row> train = frame(ctx);
    return switch (ctx.trainer()) {
      case "mllib-lr-sparse" -> logistic(ctx, train);
      case "mllib-fm" -> fm(ctx, train);
      default -> throw new IllegalArgumentException("not a sparse MLlib trainer: "
          + ctx.trainer() + "; use one of " + NAMES);
    };
  }

  /** {@code mllib-lr-sparse}: LogisticRegression, defaults (L-BFGS, standardization). */
  static TrainerResult logistic(SparseContext ctx, Dataset<Row> train) {
    warmUp(ctx, train, () -> logisticRegression(ctx));
    Curve c = curve(ctx, LR_CAPS, cap -> logisticRegression(ctx).setMaxIter(cap).fit(train), m -> probabilities((LogisticRegressionModel) m, ctx
        .test()), m -> ((LogisticRegressionModel) m).summary().totalIterations());
    int d = ctx.data().features();
    return ctx.result("logistic, " + d + " columns", "L-BFGS, maxIter up to 100, tol 1e-6, "
        + "L2 regParam " + ctx.regParam() + ", no standardization", c.fitSeconds, c.iterations * ctx.data().trainRows(),
        c.iterations, 2.0 * 8 * (d + 1) * ctx.data().parts(), c.points, c.note(
        "points are separate fits with growing maxIter; bytes estimated"));
  }

  /**
   * MLlib's logistic regression as set here: binomial, L2 {@code regParam}, and no
   * standardization (with it, the penalty on a rare one-hot column shrinks with its variance and
   * all but vanishes, so rare tokens overfit).
   */
  private static LogisticRegression logisticRegression(SparseContext ctx) {
    return new LogisticRegression().setFamily("binomial").setRegParam(ctx.regParam())
        .setStandardization(false);
  }

  /** MLlib's FMClassifier as set here: the context's factor size, regParam and step size. */
  private static FMClassifier fmClassifier(SparseContext ctx) {
    return new FMClassifier().setFactorSize(ctx.factors()).setSeed(ctx.seed())
        .setRegParam(ctx.regParam()).setStepSize(ctx.fmStepSize());
  }

  /** {@code mllib-fm}: FMClassifier (AdamW, full batch), settings of {@link #fmClassifier}. */
  static TrainerResult fm(SparseContext ctx, Dataset<Row> train) {
    int k = ctx.factors();
    warmUp(ctx, train, () -> fmClassifier(ctx).setMaxIter(FM_WARMUP_ITER));
    Curve c = curve(ctx, caps(FM_CAPS, ctx.fmMaxIter()), cap -> fmClassifier(ctx).setMaxIter(cap).fit(train), m -> probabilities((FMClassificationModel) m, ctx.test()),
        m -> ((FMClassificationModel) m).summary().totalIterations());
    checkScoring(ctx, (FMClassificationModel) c.last);
    int d = ctx.data().features();
    return ctx.result("fm K=" + k + ", " + d + " columns", "FMClassifier: AdamW, step "
        + ctx.fmStepSize() + ", full batch, maxIter up to " + ctx.fmMaxIter() + ", tol 1e-6, L2 regParam "
        + ctx.regParam() + ", factor size " + k,
        c.fitSeconds, c.iterations * ctx.data().trainRows(), c.iterations,
        2.0 * 8 * ((double) d * (k + 1) + 1) * ctx.data().parts(), c.points, c.note(
        "points are separate fits with growing maxIter; bytes estimated"));
  }

  /** The caps up to {@code max}, ending with {@code max}. */
  static int[] caps(int[] caps, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a largest maxIter must be at least 1, got " + max);
    }
    java.util.stream.IntStream below = java.util.Arrays.stream(caps).filter(c -> c < max);
    return java.util.stream.IntStream.concat(below, java.util.stream.IntStream.of(max))
        .toArray();
  }

  /** A trainer's points, final fit time and iterations. */
  private record Curve(List<TrainerResult.Point> points, double fitSeconds, long iterations,
      String budgetNote, Object last) {
    String note(String base) {
      return budgetNote.isEmpty() ? base : budgetNote + "; " + base;
    }
  }

  private static Curve curve(SparseContext ctx, int[] caps, IntFunction<Object> fit,
      java.util.function.Function<Object, float[]> score,
      java.util.function.ToIntFunction<Object> iterationsOf) {
    List<TrainerResult.Point> points = new ArrayList<>();
    double seconds = 0;
    double spent = 0;
    long iterations = 0;
    String note = "";
    Object m = null;
    for (int cap : caps) {
      long t0 = System.nanoTime();
      m = fit.apply(cap);
      seconds = (System.nanoTime() - t0) / 1e9;
      spent += seconds;
      iterations = iterationsOf.applyAsInt(m);
      float[] p = score.apply(m);
      double[] s = HeldOut.score(ctx.test().labels(), p);
      double auc = HeldOut.auc(ctx.test().labels(), p);
      points.add(new TrainerResult.Point(seconds, (int) iterations, s[0], s[1], auc));
      System.out.printf("%s maxIter %d: %d iterations, %.2f s, log loss %.5f, AUC %.5f%n",
          ctx.trainer(), cap, iterations, seconds, s[0], auc);
      if (iterations < cap) {
        break;
      }
      if (cap == caps[caps.length - 1]) {
        note = "maxIter " + cap + " reached before tol 1e-6";
      } else if (spent > ctx.budgetSeconds()) {
        note = "stopped at maxIter " + cap + " (budget " + (int) ctx.budgetSeconds()
            + " s); not converged";
        break;
      }
    }
    return new Curve(points, seconds, iterations, note, m);
  }

  private static void warmUp(SparseContext ctx, Dataset<Row> train,
      java.util.function.Supplier<org.apache.spark.ml.Estimator<?>> estimator) {
    if (!ctx.warmsUp()) {
      return;
    }
    Dataset<Row> w = train.limit(ctx.warmupRows()).persist(StorageLevel.MEMORY_ONLY());
    w.count();
    ctx.warmup().run(() -> estimator.get().fit(w));
    w.unpersist(true);
  }

  /**
   * Checks this class's FM scoring against MLlib's own {@code transform} on the first held-out
   * rows, so the reported figures are MLlib's predictions.
   */
  private static void checkScoring(SparseContext ctx, FMClassificationModel m) {
    SparseRows head = ctx.test().range(0, Math.min(200, ctx.test().rows()));
    float[] ours = probabilities(m, head);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < head.rows(); i++) {
      int a = head.offsets()[i];
      int n = head.offsets()[i + 1] - a;
      double[] val = new double[n];
      for (int t = 0; t < n; t++) {
        val[t] = head.values()[a + t];
      }
      rows.add(RowFactory.create((double) head.labels()[i], Vectors.sparse(head.cols(),
          java.util.Arrays.copyOfRange(head.indices(), a, a + n), val)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    List<Row> got = m.transform(ctx.spark().createDataFrame(rows, schema))
        .select("probability").collectAsList();
    for (int i = 0; i < head.rows(); i++) {
      double theirs = ((org.apache.spark.ml.linalg.Vector) got.get(i).get(0)).apply(1);
      if (Math.abs(theirs - ours[i]) > 1e-5) {
        throw new IllegalStateException("FM scoring differs from FMClassificationModel's on "
            + "held-out row " + i + ": " + ours[i] + " against " + theirs);
      }
    }
  }

  private static float[] probabilities(LogisticRegressionModel m, SparseRows test) {
    double[] w = m.coefficients().toArray();
    double b = m.intercept();
    float[] p = new float[test.rows()];
    for (int i = 0; i < test.rows(); i++) {
      double z = b;
      for (int k = test.offsets()[i]; k < test.offsets()[i + 1]; k++) {
        z += w[test.indices()[k]] * test.values()[k];
      }
      p[i] = (float) (1 / (1 + Math.exp(-z)));
    }
    return p;
  }

  /**
   * FMClassificationModel's {@code predictRaw} (Rendle's O(K nnz) form): intercept + linear
   * term + half the sum over factors of (sum v x)^2 - sum (v x)^2, then the sigmoid.
   */
  private static float[] probabilities(FMClassificationModel m, SparseRows test) {
    double[] linear = m.linear().toArray();
    int k = m.factors().numCols();
    int d = m.factors().numRows();
    double[] v = m.factors().toArray(); // column-major: v[i + f * d]
    double[] sum = new double[k];
    float[] p = new float[test.rows()];
    for (int i = 0; i < test.rows(); i++) {
      double z = m.intercept();
      java.util.Arrays.fill(sum, 0);
      for (int t = test.offsets()[i]; t < test.offsets()[i + 1]; t++) {
        int j = test.indices()[t];
        double x = test.values()[t];
        z += linear[j] * x;
        for (int f = 0; f < k; f++) {
          double vx = v[j + f * d] * x;
          sum[f] += vx;
          z -= 0.5 * vx * vx;
        }
      }
      for (int f = 0; f < k; f++) {
        z += 0.5 * sum[f] * sum[f];
      }
      p[i] = (float) (1 / (1 + Math.exp(-z)));
    }
    return p;
  }
}
