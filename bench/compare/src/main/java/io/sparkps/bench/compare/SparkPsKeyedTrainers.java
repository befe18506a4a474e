package io.sparkps.bench.compare;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.predict.KeyedModel;
import io.sparkps.driver.train.KeyedTrainer;
import io.sparkps.driver.train.ParameterServerSession;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * SparkPS's keyed trainers ({@code --ps-layout keyed}) on the sparse comparison's rows: the same
 * cached blocks as {@link SparkPsSparseTrainers}, trained through {@link KeyedTrainer} with an
 * in-process parameter server of two shards. The shards hold one row per touched key and step it
 * with lazy Adam, the workers pull and push only their minibatches' keys, so neither a worker nor
 * the driver holds a vector of {@code 2^B} entries: the cost grows with the keys the rows touch,
 * not with the buckets.
 *
 * <p>Held-out log loss per epoch is the trainer's own ({@code KeyedScoring}, on the executors
 * against the servers) and is inside the timed epoch, so the clock here includes it (40,000
 * held-out rows on ctr-200000, a fraction of an epoch's rows). After the last epoch the model the
 * shards wrote is read back with {@link KeyedModel} (clock stopped) for the final point's
 * accuracy and AUC, and its log loss is checked against the trainer's.
 */
final class SparkPsKeyedTrainers {
  static final String LR = "sparkps-lr-keyed";
  static final String FM = "sparkps-fm-keyed";
  /** The keyed trainers this class runs. */
  static final List<String> NAMES = List.of(LR, FM);
  /** Shards of the in-process server. */
  static final int SHARDS = 2;

  private SparkPsKeyedTrainers() {
  }

  /**
   * Each trainer's settings: lazy Adam at a constant rate (a per-key rule has no global step to
   * schedule by), one step a round (a keyed round moves only its minibatch's keys), 3 epochs, L2
   * 1e-4 lazily on the touched keys as the dense-layout sparse trainers. Logistic regression
   * takes 384 rows per minibatch and worker at 0.0125: on ctr-200000 its first epoch ends at a
   * held-out log loss of 0.4500, where 512 rows at the CLI's 0.01 needed two epochs for it (0.4518
   * after one; bench/README.md, "Keyed logistic regression's time"); the FM keeps 512 rows at
   * 0.01 (it overfits after its first epoch as it is).
   */
  static SparkPsTrainers.Settings defaults(String trainer, int cores) {
    if (!NAMES.contains(trainer)) {
      throw new IllegalArgumentException("not a SparkPS keyed trainer: " + trainer
          + "; use one of " + NAMES);
    }
    return trainer.equals(LR) ? new SparkPsTrainers.Settings(false, 3, 384, 0.0125, 1, cores,
        "auto") : new SparkPsTrainers.Settings(false, 3, 512, 0.01, 1, cores, "auto");
  }

  /** Trains {@code ctx.trainer()} with settings {@code s}. */
  static TrainerResult run(SparseContext ctx, SparkPsTrainers.Settings s) {
    // as `sparkps train` does: the in-process server's key, certificate and first TLS context
    // are made on a background thread while the data is read (before the clock starts)
    ParameterServerSession.prepareTls();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    SparseBlock test = SparkPsSparseTrainers.block(ctx.test(), SparkPsSparseTrainers.fieldCount(
        ctx.test()));
    String sparse = ctx.trainer().equals(LR) ? SparseTargets.SPARKPS_LR : SparseTargets.SPARKPS_FM;
    ModelSpec spec = SparkPsSparseTrainers.spec(sparse, ctx.data().features(),
        test.fieldCount(), ctx.factors());
    JavaRDD<SparseBlock> train = SparkPsSparseTrainers.blocks(ctx, test.fieldCount());
    int half = ctx.test().rows() / 2;
    List<Block> heldParts = List.of(
        SparkPsSparseTrainers.block(ctx.test().range(0, half), test.fieldCount()),
        SparkPsSparseTrainers.block(ctx.test().range(half, ctx.test().rows()),
            test.fieldCount()));
    JavaRDD<Block> held = sc.parallelize(heldParts, heldParts.size()).cache();
    held.count();
    TrainingConfig config = new TrainingConfig(s.epochs(), s.batchSize(),
        Adam.of(new LearningRateSchedule.Constant(s.lr())),
        Regularizer.l2(SparkPsSparseTrainers.L2), 0, ctx.seed(), 0, 0, s.localSteps(), false);
    RuntimeSettings runtime = new RuntimeSettings(s.workers(), List.of(), "", "", "", SHARDS,
        s.consistency(), 600, s.backend(), Optional.empty());
    Path dir = modelDir(ctx);
    TrainClock clock = new TrainClock();
    List<TrainerResult.Point> points = new ArrayList<>();
    clock.start();
    KeyedTrainer.Result r = new KeyedTrainer(sc, runtime).fit(train, held, spec, config,
        dir.toUri(), stats -> {
          points.add(new TrainerResult.Point(clock.seconds(), stats.epoch(),
              stats.validationLoss(), Double.NaN));
          System.out.printf("%s epoch %d: %.2f s, held-out log loss %.5f%n", ctx.trainer(),
              stats.epoch(), clock.seconds(), stats.validationLoss());
        });
    clock.pause();
    points.set(points.size() - 1, finalPoint(points.get(points.size() - 1), dir, test, sc));
    long keys = r.keysWritten();
    deleteQuietly(dir);
    double bytesPerRound = r.rounds() > 0 ? (double) r.bytesExchanged() / r.rounds() : 0;
    return ctx.result(spec.name() + " keyed, " + ctx.data().features() + " buckets"
        + (ctx.trainer().equals(FM) ? ", K=" + ctx.factors() : ""),
        s.describe("constant") + ", lazy Adam on " + SHARDS
        + " in-process shards, L2 "
        + SparkPsSparseTrainers.L2 + " (lazy)", clock.seconds(),
        (long) s.epochs() * ctx.data().trainRows(), r.rounds(), bytesPerRound, points,
        "keyed layout: " + keys + " keys written by the shards; held-out scoring inside the "
        + "timed epochs");
  }

  /** The final point with accuracy and AUC from the written model (its log loss checked). */
  private static TrainerResult.Point finalPoint(TrainerResult.Point last, Path dir,
      SparseBlock test, JavaSparkContext sc) {
    double[] s = score(dir, test, sc);
    if (Math.abs(s[0] - last.logLoss()) > 1e-3 * Math.max(1, last.logLoss())) {
      System.out.printf("warning: the written model's held-out log loss %.5f differs from the "
          + "trainer's %.5f%n", s[0], last.logLoss());
    }
    return new TrainerResult.Point(last.seconds(), last.step(), s[0], s[1], s[2]);
  }

  /** The keyed model in {@code dir} on {@code test}: log loss, accuracy and AUC. */
  static double[] score(Path dir, SparseBlock test, JavaSparkContext sc) {
    float[] p = new float[test.rows()];
    try (KeyedModel m = KeyedModel.open(dir.toUri(), sc.hadoopConfiguration())) {
      m.predict(test, 0, test.rows(), p);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the keyed model back from " + dir + " failed", e);
    }
    double[] s = HeldOut.score(test.labels(), p);
    return new double[] {s[0], s[1], HeldOut.auc(test.labels(), p)};
  }

  static Path modelDir(SparseContext ctx) {
    try {
      return Files.createTempDirectory(ctx.data().dir(), "keyed-model-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a model directory under "
          + ctx.data().dir(), e);
    }
  }

  static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.out.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
