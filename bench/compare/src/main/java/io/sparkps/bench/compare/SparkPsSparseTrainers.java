package io.sparkps.bench.compare;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.WideDeepSpec;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RoundProgress;
import io.sparkps.driver.train.RuntimeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * SparkPS's sparse trainers on the sparse comparison's rows: the same CSR parts MLlib reads
 * ({@link CsrFile}), each turned into one {@link SparseBlock} (with the non-zeros' fields, for
 * wide and deep) in the task that reads it, cached, each block's rows shuffled once as the loader
 * does; one barrier stage per epoch through {@link DistributedTrainer} with the in-process
 * parameter server, as {@link SparkPsTrainers} runs the dense models. Held-out log loss and AUC
 * are computed after each epoch with the clock paused.
 *
 * <p>Until the keyed parameter server exists, every round pulls and pushes the whole parameter
 * vector (2^20 floats for logistic regression, 9 * 2^20 for an FM with 8 factors), so the
 * settings here take many local steps between two averagings. What the CLI's defaults give on
 * the same rows is the "-defaults" rows' ({@link SparkPsSparseDefaults}), which share
 * {@link #fit}.
 */
final class SparkPsSparseTrainers {
  /** The sparse trainers this class runs. */
  static final List<String> NAMES = List.of(SparseTargets.SPARKPS_LR, SparseTargets.SPARKPS_FM,
      SparseTargets.SPARKPS_WIDE_DEEP);
  /** Wide and deep's hidden layers. */
  static final List<Integer> HIDDEN = List.of(64, 32);
  /** Wide and deep's embedding size per field. */
  static final int EMBEDDING = 8;
  /** L2 on the weights a minibatch touches (lazy), as MLlib's regParam 1e-4 of the others. */
  static final double L2 = 1e-4;

  private SparkPsSparseTrainers() {
  }

  /**
   * Each trainer's settings: Adam 0.01 (the CLI's optimizer and rate) cosine-annealed, 512 rows
   * per minibatch and worker, 32 local steps a round (5 rounds an epoch on ctr-200000),
   * 3 epochs, or more on small sets so that at least 320,000 rows are visited.
   */
  static SparkPsTrainers.Settings defaults(String trainer, int cores, long trainRows) {
    if (!NAMES.contains(trainer)) {
      throw new IllegalArgumentException("not a SparkPS sparse trainer: " + trainer
          + "; use one of " + NAMES);
    }
    int epochs = (int) Math.max(3, (SparkPsTrainers.LOGISTIC_ROWS + trainRows - 1)
        / Math.max(1, trainRows));
    return new SparkPsTrainers.Settings(false, epochs, 512, 0.01, 32, cores, "auto");
  }

  /** The model of {@code trainer} over {@code cols} columns and {@code fields} fields. */
  static ModelSpec spec(String trainer, int cols, int fields, int factors) {
    return switch (trainer) {
      case SparseTargets.SPARKPS_LR -> new SparseLinearSpec(cols, 1, new Loss.LogLoss());
      case SparseTargets.SPARKPS_FM -> FmSpec.of(cols, factors, new Loss.LogLoss());
      case SparseTargets.SPARKPS_WIDE_DEEP -> {
        if (fields < 1) {
          throw new IllegalArgumentException("sparkps-wide-deep embeds each input field, and "
              + "these rows have none (LibSVM); run it on ctr-N");
        }
        yield WideDeepSpec.of(cols, fields, EMBEDDING, HIDDEN, Activation.RELU,
            new Loss.LogLoss());
      }
      default -> throw new IllegalArgumentException("not a SparkPS sparse trainer: " + trainer
          + "; use one of " + NAMES);
    };
  }

  /** Trains {@code ctx.trainer()} with settings {@code s}. */
  static TrainerResult run(SparseContext ctx, SparkPsTrainers.Settings s) {
    if (s.workers() != ctx.data().parts()) {
      throw new IllegalArgumentException("the sparse SparkPS trainers train one worker per "
          + "prepared part (" + ctx.data().parts() + "), got " + s.workers() + " workers");
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    SparseBlock test = block(ctx.test(), fieldCount(ctx.test()));
    ModelSpec spec = spec(ctx.trainer(), ctx.data().features(), test.fieldCount(),
        ctx.factors());
    JavaRDD<SparseBlock> train = blocks(ctx, test.fieldCount());
    long stepsPerEpoch = (ctx.data().trainRows() + (long) s.workers() * s.batchSize() - 1)
        / ((long) s.workers() * s.batchSize());
    TrainingConfig config = new TrainingConfig(s.epochs(), s.batchSize(),
        Adam.of(new LearningRateSchedule.Cosine(s.lr(), Math.max(2, stepsPerEpoch * s.epochs()),
            s.lr() / 100)), Regularizer.l2(L2), 0, ctx.seed(), 0, 0, s.localSteps(),
        s.overlap());
    RuntimeSettings runtime = new RuntimeSettings(s.workers(), List.of(), "", "", "", 1,
        s.consistency(), 600, s.backend(), Optional.empty());
    Fitted f = fit(ctx, spec, config, runtime, train, sc.emptyRDD(), test);
    return ctx.result(describe(spec, ctx.data().features()), s.describe() + ", L2 " + L2
        + " (lazy)", f.seconds(), (long) s.epochs() * ctx.data().trainRows(),
        f.result().rounds(), f.bytesPerRound(), f.points(), "whole vector pulled each round "
        + "(dense server); duplicate pushes " + f.result().duplicatePushes());
  }

  /** The model column of a result: the family, columns and the sizes that set it. */
  static String describe(ModelSpec spec, int columns) {
    return spec.name() + ", " + columns + " columns"
        + (spec instanceof FmSpec f ? ", K=" + f.factors() : "")
        + (spec instanceof WideDeepSpec w ? ", embedding " + w.embeddingDim() + ", hidden "
        + w.hidden() : "");
  }

  /**
   * A fit's outcome: the trainer's result, the training seconds, and the held-out points, one an
   * epoch (with a validation set, a last one for the model kept, the best check's).
   */
  record Fitted(DistributedTrainer.Result result, double seconds,
      List<TrainerResult.Point> points) {
    double bytesPerRound() {
      return result.rounds() > 0 ? (double) result.bytesExchanged() / result.rounds() : 0;
    }
  }

  /**
   * Trains {@code spec} on the cached {@code train} blocks with the in-process parameter server,
   * checking convergence on {@code validation} (empty for none), and scores {@code test} after
   * each epoch with the clock paused.
   */
  static Fitted fit(SparseContext ctx, ModelSpec spec, TrainingConfig config,
      RuntimeSettings runtime, JavaRDD<SparseBlock> train, JavaRDD<SparseBlock> validation,
      SparseBlock test) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    int[] partitionRows = SparkDataLoader.partitionRows(train);
    boolean validates = config.validationFraction() > 0;
    long validationRows = validates ? java.util.Arrays.stream(
        SparkDataLoader.partitionRows(validation)).asLongStream().sum() : 0;
    Model model = spec.build();
    float[] start = new float[model.parameterCount()];
    model.initialize(start, config.seed());
    TrainClock clock = new TrainClock();
    List<TrainerResult.Point> points = new ArrayList<>();
    DistributedTrainer trainer = new DistributedTrainer(sc, runtime)
        .withPartitionRows(partitionRows);
    clock.start();
    DistributedTrainer.Result r = (validates ? trainer.withValidationRows(validationRows)
        : trainer).fit(train, validation, spec, config, start, (stats, params) -> {
          clock.pause();
          points.add(point(ctx, model, params, test, clock.seconds(), stats.epoch()));
          clock.resume();
        }, RoundProgress.NONE, Optional.empty());
    clock.pause();
    if (validates) { // the model kept is the best check's: score it as the final point
      points.add(point(ctx, model, r.params(), test, clock.seconds(), r.history().size()));
    }
    return new Fitted(r, clock.seconds(), points);
  }

  private static TrainerResult.Point point(SparseContext ctx, Model model, float[] params,
      SparseBlock test, double seconds, int epoch) {
    float[] p = new float[test.rows()];
    model.predict(params, test, 0, test.rows(), p, model.newWorkspace(test.rows()));
    double[] m = HeldOut.score(test.labels(), p);
    double auc = HeldOut.auc(test.labels(), p);
    System.out.printf("%s epoch %d: %.2f s, log loss %.5f, AUC %.5f%n", ctx.trainer(), epoch,
        seconds, m[0], auc);
    return new TrainerResult.Point(seconds, epoch, m[0], m[1], auc);
  }

  /** The prepared parts as cached, pre-shuffled blocks, one per part, read in its task. */
  static JavaRDD<SparseBlock> blocks(SparseContext ctx, int fields) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    List<String> files = new ArrayList<>();
    for (int p = 0; p < ctx.data().parts(); p++) {
      files.add(ctx.data().trainPart(p).toAbsolutePath().toString());
    }
    JavaRDD<SparseBlock> parts = sc.parallelize(files, files.size())
        .map(f -> block(CsrFile.read(Path.of(f)), fields));
    JavaRDD<SparseBlock> cached = SparkDataLoader.preShuffled(parts, ctx.seed())
        .persist(StorageLevel.MEMORY_AND_DISK());
    cached.count();
    return cached;
  }

  /** The fields of {@code rows}: one more than the largest; 0 where all are 0 (LibSVM). */
  static int fieldCount(SparseRows rows) {
    int max = 0;
    for (int k = 0; k < rows.nnz(); k++) {
      max = Math.max(max, rows.fields()[k]);
    }
    return max == 0 ? 0 : max + 1;
  }

  /** {@code rows} as a sparse block, with fields when {@code fields > 0}. */
  static SparseBlock block(SparseRows rows, int fields) {
    SparseBlockBuilder b = new SparseBlockBuilder(rows.cols(), fields);
    SparseRow row = new SparseRow();
    for (int i = 0; i < rows.rows(); i++) {
      row.clear();
      for (int k = rows.offsets()[i]; k < rows.offsets()[i + 1]; k++) {
        row.add(rows.indices()[k], rows.values()[k], fields > 0 ? rows.fields()[k] : 0);
      }
      b.add(row, rows.labels()[i]);
    }
    return b.build();
  }
}
