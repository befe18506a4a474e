package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RoundProgress;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * SparkPS's dense trainers as a user gets them given only {@code --model} (and {@code --hidden}):
 * the settings {@link CliDefaults} takes from the command line's own option classes, a fifth of
 * each training block held out for the convergence checks, which count in the training time; the
 * bench's test rows score each epoch with the clock paused, as for every trainer.
 */
final class SparkPsDefaults {

  private SparkPsDefaults() {
  }

  /** The CLI flags of a defaults trainer: {@code --model} and, for the perceptron, hidden. */
  static List<String> flags(boolean mlp, List<Integer> hidden) {
    return mlp ? List.of("--model", "mlp", "--hidden", hidden.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(","))) : List.of("--model", "logistic");
  }

  static TrainerResult run(BenchContext ctx, boolean mlp) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    int workers = ctx.cores();
    JavaRDD<ExampleBlock> all = SparkPsTrainers.repartition(ctx, workers);
    JavaRDD<ExampleBlock> train = all.map(b -> BenchData.range(b, 0,
        CliDefaults.cut(b.rows()))).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<ExampleBlock> validation = all.map(b -> BenchData.range(b,
        CliDefaults.cut(b.rows()), b.rows()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    int[] partitionRows = SparkDataLoader.partitionRows(train);
    // as train has the loader's counts (and its blocks materialized): the run counts neither set
    // with a job of its own, and the validation blocks are built before the clock starts
    long validationRows = java.util.Arrays.stream(SparkDataLoader.partitionRows(validation))
        .asLongStream().sum();
    all.unpersist(true);
    long trainRows = java.util.Arrays.stream(partitionRows).asLongStream().sum();
    CliDefaults given = CliDefaults.of(flags(mlp, ctx.hidden()), List.of(),
        ctx.data().features(), false, 0, trainRows, workers);
    ModelSpec spec = given.spec();
    TrainingConfig config = given.config();
    Model model = spec.build();
    float[] start = new float[model.parameterCount()];
    model.initialize(start, config.seed());
    RuntimeSettings runtime = RuntimeSettings.embedded(workers);
    if (ctx.warmsUp()) {
      int per = Math.max(1, ctx.warmupRows() / workers);
      JavaRDD<ExampleBlock> small = train.map(b -> BenchData.range(b, 0, Math.min(per, b.rows())))
          .persist(StorageLevel.MEMORY_ONLY());
      JavaRDD<ExampleBlock> smallVal = validation.map(b -> BenchData.range(b, 0,
          Math.min(per / 4, b.rows()))).persist(StorageLevel.MEMORY_ONLY());
      ctx.warmup().run(() -> new DistributedTrainer(sc, runtime).fit(small, smallVal, spec,
          config, start.clone(), stats -> { }));
      small.unpersist(true);
      smallVal.unpersist(true);
    }
    TrainClock clock = new TrainClock();
    List<TrainerResult.Point> points = new ArrayList<>();
    ExampleBlock test = ctx.test();
    clock.start();
    DistributedTrainer.Result r = new DistributedTrainer(sc, runtime)
        .withPartitionRows(partitionRows).withValidationRows(validationRows)
        .fit(train, validation, spec, config, start,
        (stats, params) -> {
          clock.pause();
          double[] m = HeldOut.score(test.labels(), HeldOut.predict(model, params, test));
          points.add(new TrainerResult.Point(clock.seconds(), stats.epoch(), m[0], m[1]));
          System.out.printf("%s epoch %d: %.2f s, validation loss %.5f, held-out accuracy "
              + "%.4f, log loss %.5f%n", ctx.trainer(), stats.epoch(), clock.seconds(),
              stats.validationLoss(), m[1], m[0]);
          clock.resume();
        }, RoundProgress.NONE, Optional.empty());
    clock.pause();
    // the model kept is the best check's: score it as the final point
    double[] fin = HeldOut.score(test.labels(), HeldOut.predict(model, r.params(), test));
    points.add(new TrainerResult.Point(clock.seconds(), r.history().size(), fin[0], fin[1]));
    long rows = r.history().stream().mapToLong(EpochStats::rows).sum();
    double bytesPerRound = r.rounds() > 0 ? (double) r.bytesExchanged() / r.rounds() : 0;
    String settings = given.given() + ": batch " + config.batchSize()
        + ", local steps auto " + r.localSteps() + ", " + r.history().size() + " epochs; "
        + r.stopReason();
    train.unpersist(true);
    validation.unpersist(true);
    return ctx.result(mlp ? ctx.mlpName(1) : "logistic", settings, clock.seconds(), rows,
        r.rounds(), bytesPerRound, points, "duplicate pushes " + r.duplicatePushes(),
        r.computeSeconds());
  }
}
