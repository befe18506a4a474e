package io.sparkps.bench.compare;

import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.train.EpochStats;
import io.sparkps.driver.train.KeyedTrainer;
import io.sparkps.driver.train.ParameterServerSession;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * SparkPS's sparse trainers as a user gets them given only the model ({@code --model logistic},
 * {@code --model fm --factors K}, {@code --model wide-deep}, and {@code --ps-layout keyed} for the
 * keyed rows): the settings {@link CliDefaults} takes from the command line's own option classes
 * (the family's batch and rate, the step schedule, {@code --local-steps auto}, at most 20 epochs
 * stopped by convergence, no L2, one in-process server shard). The rows are the tuned rows'
 * cached blocks ({@link SparkPsSparseTrainers#blocks}, already in random order); as
 * {@code train --validation 0.2} does, the last fifth of each is held out for the convergence
 * checks, which count in the training time.
 *
 * <p>The dense layout scores the bench's test rows after each epoch with the clock paused, and
 * the model kept (the best check's) as the last point. The keyed layout's model lives on the
 * servers: its epochs print the validation loss, and its one point is the model the servers
 * wrote, read back with the clock stopped ({@link SparkPsKeyedTrainers#score}).
 */
final class SparkPsSparseDefaults {
  /** What a defaults row's name adds to its tuned row's. */
  static final String SUFFIX = "-defaults";
  /** The trainers this class runs: a defaults row for every sparse and keyed trainer. */
  static final List<String> NAMES = java.util.stream.Stream.concat(
      SparkPsSparseTrainers.NAMES.stream(), SparkPsKeyedTrainers.NAMES.stream())
      .map(t -> t + SUFFIX).toList();

  private SparkPsSparseDefaults() {
  }

  /** The tuned row of the defaults row {@code trainer}. */
  static String tuned(String trainer) {
    if (!NAMES.contains(trainer)) {
      throw new IllegalArgumentException("not a SparkPS sparse defaults trainer: " + trainer
          + "; use one of " + NAMES);
    }
    return trainer.substring(0, trainer.length() - SUFFIX.length());
  }

  /** The model flags a user gives for the tuned row {@code tuned}'s model. */
  static List<String> modelFlags(String tuned, int factors) {
    return switch (tuned) {
      case SparseTargets.SPARKPS_LR, SparkPsKeyedTrainers.LR -> List.of("--model", "logistic");
      case SparseTargets.SPARKPS_FM, SparkPsKeyedTrainers.FM -> List.of("--model", "fm",
          "--factors", String.valueOf(factors));
      case SparseTargets.SPARKPS_WIDE_DEEP -> List.of("--model", "wide-deep");
      default -> throw new IllegalArgumentException("no defaults row for " + tuned);
    };
  }

  /** Trains {@code ctx.trainer()}, a defaults row, as described above. */
  static TrainerResult run(SparseContext ctx) {
    String tuned = tuned(ctx.trainer());
    boolean keyed = SparkPsKeyedTrainers.NAMES.contains(tuned);
    if (keyed) { // as train does: the certificate is made while the data is read
      ParameterServerSession.prepareTls();
    }
    int workers = ctx.data().parts(); // train's default: one worker a core, one part each
    SparseBlock test = SparkPsSparseTrainers.block(ctx.test(),
        SparkPsSparseTrainers.fieldCount(ctx.test()));
    JavaRDD<SparseBlock> all = SparkPsSparseTrainers.blocks(ctx, test.fieldCount());
    JavaRDD<SparseBlock> train = all.map(b -> rows(b, 0, CliDefaults.cut(b.rows())))
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<SparseBlock> validation = all.map(b -> rows(b, CliDefaults.cut(b.rows()), b.rows()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // both sets built before the clock starts, as train's loader has them
    long trainRows = java.util.Arrays.stream(
        io.sparkps.driver.data.SparkDataLoader.partitionRows(train)).asLongStream().sum();
    validation.count();
    all.unpersist(true);
    CliDefaults given = CliDefaults.of(modelFlags(tuned, ctx.factors()),
        keyed ? List.of("--ps-layout", "keyed") : List.of(), ctx.data().features(), true,
        test.fieldCount(), trainRows, workers);
    RuntimeSettings runtime = RuntimeSettings.embedded(workers);
    TrainerResult r = keyed ? keyed(ctx, given, runtime, train, validation, test)
        : dense(ctx, given, runtime, train, validation, test);
    train.unpersist(true);
    validation.unpersist(true);
    return r;
  }

  private static TrainerResult dense(SparseContext ctx, CliDefaults given,
      RuntimeSettings runtime, JavaRDD<SparseBlock> train, JavaRDD<SparseBlock> validation,
      SparseBlock test) {
    SparkPsSparseTrainers.Fitted f = SparkPsSparseTrainers.fit(ctx, given.spec(),
        given.config(), runtime, train, validation, test);
    var r = f.result();
    String settings = given.given() + ": batch " + given.config().batchSize()
        + ", local steps auto " + r.localSteps() + ", " + r.history().size() + " epochs; "
        + r.stopReason();
    return ctx.result(SparkPsSparseTrainers.describe(given.spec(), ctx.data().features()),
        settings, f.seconds(), r.history().stream().mapToLong(EpochStats::rows).sum(),
        r.rounds(), f.bytesPerRound(), f.points(), "whole vector pulled each round (dense "
        + "server); duplicate pushes " + r.duplicatePushes());
  }

  private static TrainerResult keyed(SparseContext ctx, CliDefaults given,
      RuntimeSettings runtime, JavaRDD<SparseBlock> train, JavaRDD<SparseBlock> validation,
      SparseBlock test) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    java.nio.file.Path dir = SparkPsKeyedTrainers.modelDir(ctx);
    TrainClock clock = new TrainClock();
    clock.start();
    KeyedTrainer.Result r = new KeyedTrainer(sc, runtime).fit(train, validation, given.spec(),
        given.config(), dir.toUri(), stats -> System.out.printf("%s epoch %d: %.2f s, "
            + "validation loss %.5f%n", ctx.trainer(), stats.epoch(), clock.seconds(),
            stats.validationLoss()));
    clock.pause();
    double[] s = SparkPsKeyedTrainers.score(dir, test, sc);
    System.out.printf("%s: the kept model (epoch %d): held-out log loss %.5f, AUC %.5f%n",
        ctx.trainer(), r.modelEpoch(), s[0], s[2]);
    List<TrainerResult.Point> points = new ArrayList<>();
    points.add(new TrainerResult.Point(clock.seconds(), r.history().size(), s[0], s[1], s[2]));
    SparkPsKeyedTrainers.deleteQuietly(dir);
    String settings = given.given() + ": batch " + given.config().batchSize() + ", "
        + r.history().size() + " epochs, model of epoch " + r.modelEpoch() + "; "
        + r.stopReason();
    return ctx.result(given.spec().name() + " keyed, " + ctx.data().features() + " buckets"
        + (given.spec() instanceof io.sparkps.core.model.FmSpec f ? ", K=" + f.factors() : ""),
        settings, clock.seconds(), r.history().stream().mapToLong(EpochStats::rows).sum(),
        r.rounds(), r.rounds() > 0 ? (double) r.bytesExchanged() / r.rounds() : 0, points,
        "keyed layout: " + r.keysWritten() + " keys written by the shard; validation scoring "
        + "inside the timed epochs");
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) of {@code b}. */
  static SparseBlock rows(SparseBlock b, int from, int to) {
    return b.select(IntStream.range(from, to).toArray());
  }
}
