package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark MLlib's trainers as users run them, on a cached DataFrame of the same rows.
 *
 * <p>Held-out metrics over time: MLlib trains in one call with no hook per iteration, so
 * logistic regression is fitted from scratch with growing {@code maxIter} (1, 2, 3, 5, 8, ...)
 * until it converges before its cap; each point is a fit of its own, timed alone, and the last
 * is the converged model. The perceptron is fitted in chunks of L-BFGS iterations, each starting
 * from the previous chunk's weights ({@code initialWeights}); L-BFGS's curvature memory restarts
 * with each chunk, which costs MLlib a little progress but no time it would not spend anyway.
 */
final class MllibTrainers {
  private static final int[] LR_CAPS = {1, 2, 3, 5, 8, 13, 21, 34, 55, 100};
  private static final int MLP_CHUNK = 10;
  private static final int MLP_MAX_ITER = 400;

  private MllibTrainers() {
  }

  static Dataset<Row> frame(BenchContext ctx, boolean train) {
    JavaRDD<ExampleBlock> blocks = train
        ? BenchSpark.trainBlocks(ctx.spark(), ctx.data(), StorageLevel.MEMORY_ONLY())
        : BenchSpark.testBlocks(ctx.spark(), ctx.data(), StorageLevel.MEMORY_ONLY());
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    JavaRDD<Row> rows = blocks.flatMap(b -> {
      List<Row> out = new ArrayList<>(b.rows());
      int c = b.cols();
      for (int i = 0; i < b.rows(); i++) {
        double[] x = new double[c];
        for (int j = 0; j < c; j++) {
          x[j] = b.features()[i * c + j];
        }
        out.add(RowFactory.create((double) b.labels()[i], Vectors.dense(x)));
      }
      return out.iterator();
    });
    Dataset<Row> df = ctx.spark().createDataFrame(rows, schema)
        .persist(StorageLevel.MEMORY_AND_DISK());
    df.count();
    blocks.unpersist(true);
    return df;
  }

  /** The first rows of {@code train} for the untimed warm-up fit. */
  private static Dataset<Row> warmup(Dataset<Row> train, BenchContext ctx) {
    Dataset<Row> w = train.limit(ctx.warmupRows()).persist(StorageLevel.MEMORY_ONLY());
    w.count();
    return w;
  }

  /** {@code mllib-lr}: LogisticRegression with MLlib's defaults (L-BFGS, standardization on). */
  static TrainerResult logistic(BenchContext ctx) {
    Dataset<Row> train = frame(ctx, true);
    if (ctx.warmsUp()) {
      Dataset<Row> w = warmup(train, ctx);
      ctx.warmup().run(() -> new LogisticRegression().fit(w)); // the timed fit's settings
      w.unpersist(true);
    }
    List<TrainerResult.Point> points = new ArrayList<>();
    double fit = 0;
    long iterations = 0;
    String note = "";
    double spent = 0;
    for (int cap : LR_CAPS) {
      LogisticRegression lr = new LogisticRegression().setMaxIter(cap).setFamily("binomial");
      long t0 = System.nanoTime();
      LogisticRegressionModel m = lr.fit(train);
      fit = (System.nanoTime() - t0) / 1e9;
      spent += fit;
      iterations = m.summary().totalIterations();
      double[] s = HeldOut.score(ctx.test().labels(), probabilities(m, ctx.test()));
      points.add(new TrainerResult.Point(fit, (int) iterations, s[0], s[1]));
      System.out.printf("mllib-lr maxIter %d: %d iterations, %.2f s, log loss %.5f%n", cap,
          iterations, fit, s[0]);
      if (iterations < cap) {
        break;
      }
      if (spent > ctx.budgetSeconds()) {
        note = "stopped at maxIter " + cap + " (budget); not converged";
        break;
      }
    }
    int d = ctx.data().features();
    // per iteration each partition sends its (d + 1)-double gradient and receives the
    // coefficients (treeAggregate and broadcast); line searches can add evaluations
    double bytes = 2.0 * 8 * (d + 1) * ctx.data().parts();
    return ctx.result("logistic", "L-BFGS, defaults (maxIter up to 100, tol 1e-6)", fit,
        iterations * ctx.data().trainRows(), iterations, bytes, points,
        note.isEmpty() ? "points are separate fits with growing maxIter; bytes estimated" : note);
  }

  private static float[] probabilities(LogisticRegressionModel m, ExampleBlock test) {
    Vector w = m.coefficients();
    double b = m.intercept();
    int c = test.cols();
    float[] p = new float[test.rows()];
    for (int i = 0; i < test.rows(); i++) {
      double z = b;
      for (int j = 0; j < c; j++) {
        z += w.apply(j) * test.features()[i * c + j];
      }
      p[i] = (float) (1 / (1 + Math.exp(-z)));
    }
    return p;
  }

  /** {@code mllib-mlp}: MultilayerPerceptronClassifier, L-BFGS, block size 128. */
  static TrainerResult perceptron(BenchContext ctx) {
    Dataset<Row> train = frame(ctx, true);
    Dataset<Row> test = frame(ctx, false);
    int[] layers = new int[ctx.hidden().size() + 2];
    layers[0] = ctx.data().features();
    for (int i = 0; i < ctx.hidden().size(); i++) {
      layers[i + 1] = ctx.hidden().get(i);
    }
    layers[layers.length - 1] = 2;
    if (ctx.warmsUp()) {
      Dataset<Row> w = warmup(train, ctx);
      // one chunk of the timed fit each
      ctx.warmup().run(() -> new MultilayerPerceptronClassifier().setLayers(layers)
          .setSeed(ctx.seed()).setMaxIter(MLP_CHUNK).setBlockSize(128).fit(w));
      w.unpersist(true);
    }
    TrainClock clock = new TrainClock();
    List<TrainerResult.Point> points = new ArrayList<>();
    Vector weights = null;
    int iterations = 0;
    String note = "";
    clock.start();
    while (true) {
      MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
          .setLayers(layers).setSeed(ctx.seed()).setMaxIter(MLP_CHUNK).setBlockSize(128);
      if (weights != null) {
        mlp.setInitialWeights(weights);
      }
      MultilayerPerceptronClassificationModel m = mlp.fit(train);
      int ran = m.summary().totalIterations();
      iterations += ran;
      weights = m.weights();
      clock.pause();
      double[] s = HeldOut.score(ctx.test().labels(), probabilities(m, test));
      points.add(new TrainerResult.Point(clock.seconds(), iterations, s[0], s[1]));
      System.out.printf("mllib-mlp %d iterations, %.1f s: accuracy %.4f, log loss %.4f%n",
          iterations, clock.seconds(), s[1], s[0]);
      clock.resume();
      if (ran < MLP_CHUNK) {
        note = "converged (tol 1e-6)";
        break;
      }
      if (iterations >= MLP_MAX_ITER) {
        note = "stopped at " + MLP_MAX_ITER + " iterations";
        break;
      }
      if (clock.seconds() > ctx.budgetSeconds()) {
        note = "stopped after " + iterations + " iterations: time budget "
            + (int) ctx.budgetSeconds() + " s";
        break;
      }
    }
    clock.pause();
    long params = weights.size();
    return ctx.result(ctx.mlpName(), "L-BFGS in chunks of " + MLP_CHUNK
        + " iterations (warm start), block size 128", clock.seconds(),
        (long) iterations * ctx.data().trainRows(), iterations, 2.0 * 8 * params
            * ctx.data().parts(), points, note + "; bytes estimated");
  }

  private static float[] probabilities(MultilayerPerceptronClassificationModel m,
      Dataset<Row> test) {
    List<Row> rows = m.transform(test).select("probability").collectAsList();
    float[] p = new float[rows.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) ((Vector) rows.get(i).get(0)).apply(1);
    }
    return p;
  }
}
