package io.sparkps.bench.compare;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.model.Task;
import io.sparkps.core.optim.Adam;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.train.PartitionWorker;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RoundProgress;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * SparkPS's trainers as the CLI runs them: cached blocks (memory and disk, deserialized, each
 * one's rows shuffled once, as the loader caches them, which also reports their rows), one
 * barrier stage per epoch, an in-process parameter server, Adam with a cosine schedule.
 * Held-out metrics are computed after each epoch with the clock paused.
 */
final class SparkPsTrainers {

  /**
   * The knobs of a SparkPS run.
   *
   * @param mlp a perceptron with the context's hidden layers, else logistic regression
   * @param epochs passes over the data
   * @param batchSize rows per minibatch and worker
   * @param lr Adam's base rate (cosine-annealed to a hundredth over the run)
   * @param localSteps minibatches each worker takes between two averagings
   * @param workers Spark partitions that train
   * @param backend compute backend ({@code auto} takes the Vector API where present)
   * @param consistency the parameter server's mode: {@code sync}, {@code ssp:S} or {@code async}
   * @param overlap overlapped rounds (local steps only; see {@code TrainingConfig.overlap})
   */
  record Settings(boolean mlp, int epochs, int batchSize, double lr, int localSteps, int workers,
      String backend, String consistency, boolean overlap) {

    Settings(boolean mlp, int epochs, int batchSize, double lr, int localSteps, int workers,
        String backend) {
      this(mlp, epochs, batchSize, lr, localSteps, workers, backend, "sync", false);
    }

    /** These settings in words, for the dense trainers' cosine-annealed Adam. */
    String describe() {
      return describe("cosine");
    }

    /** These settings in words, the rate following {@code schedule}. */
    String describe(String schedule) {
      return "Adam lr " + lr + " " + schedule + ", batch " + batchSize + ", " + epochs + " epochs"
          + (localSteps > 1 ? ", " + localSteps + " local steps" : "")
          + (overlap ? ", overlapped rounds" : "") + ", " + consistency
          + ", " + workers + " worker" + (workers > 1 ? "s" : "") + ", backend " + backend;
    }
  }

  private SparkPsTrainers() {
  }

  /**
   * Rows a logistic trainer visits at least: on a small data set two epochs stop far short of
   * MLlib's converged L-BFGS (a9a: loss 0.353 against 0.326 after 2 epochs, 0.324 after 10).
   */
  static final long LOGISTIC_ROWS = 320_000;

  /** The defaults of each SparkPS trainer name, for a data set of {@code trainRows} rows. */
  static Settings defaults(String trainer, int cores, long trainRows) {
    // logistic regression: 2 epochs, more on small sets (a9a 10, ijcnn1 7; synth 2)
    int lrEpochs = (int) Math.max(2, (LOGISTIC_ROWS + trainRows - 1) / Math.max(1, trainRows));
    return switch (trainer) {
      case "sparkps-lr" -> new Settings(false, lrEpochs, 512, 0.01, 1, cores, "auto");
      case "sparkps-lr-local" -> new Settings(false, lrEpochs, 256, 0.01, 128, cores, "auto");
      case "sparkps-mlp" -> new Settings(true, 4, 256, 0.003, 1, cores, "auto");
      // 32 local steps (about 10 ms of compute a round): 2 workers reach 0.925 in 1.44 s
      // against 1.97 s with 8 (2026-11-29, synth-1M), at the same accuracy
      case "sparkps-mlp-local" -> new Settings(true, 4, 128, 0.003, 32, cores, "auto");
      case "sparkps-mlp-1w" -> new Settings(true, 2, 128, 0.003, 32, 1, "auto");
      case "sparkps-mlp-2w" -> new Settings(true, 2, 128, 0.003, 32, 2, "auto");
      default -> throw new IllegalArgumentException("not a SparkPS trainer: " + trainer);
    };
  }

  static TrainerResult run(BenchContext ctx, Settings s) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    JavaRDD<ExampleBlock> train = repartition(ctx, s.workers());
    // as the loader reports them when it caches the blocks
    int[] partitionRows = SparkDataLoader.partitionRows(train);
    int d = ctx.data().features();
    ModelSpec spec = s.mlp()
        ? ModelSpec.mlp(d, ctx.hidden(), Activation.RELU, Task.BINARY, 2, new Loss.SquaredError())
        : ModelSpec.logistic(d);
    long stepsPerEpoch = (ctx.data().trainRows() + (long) s.workers() * s.batchSize() - 1)
        / ((long) s.workers() * s.batchSize());
    long totalSteps = Math.max(2, stepsPerEpoch * s.epochs());
    TrainingConfig config = new TrainingConfig(s.epochs(), s.batchSize(),
        Adam.of(new LearningRateSchedule.Cosine(s.lr(), totalSteps, s.lr() / 100)),
        Regularizer.NONE, 0, ctx.seed(), 0, 0, s.localSteps(), s.overlap());
    Model model = spec.build();
    float[] start = new float[model.parameterCount()];
    model.initialize(start, ctx.seed());
    RuntimeSettings runtime = new RuntimeSettings(s.workers(), List.of(), "", "", "", 1, s.consistency(),
        600, s.backend(), Optional.empty());
    if (ctx.warmsUp()) {
      int per = Math.max(1, ctx.warmupRows() / s.workers());
      JavaRDD<ExampleBlock> small = train.map(b -> BenchData.range(b, 0, Math.min(per, b.rows())))
          .persist(StorageLevel.MEMORY_ONLY());
      ctx.warmup().run(() -> new DistributedTrainer(sc, runtime).fit(small, sc.emptyRDD(), spec,
          config, start.clone(), stats -> { }));
      small.unpersist(true);
    }
    TrainClock clock = new TrainClock();
    List<TrainerResult.Point> points = new ArrayList<>();
    ExampleBlock test = ctx.test();
    clock.start();
    DistributedTrainer.Result r = new DistributedTrainer(sc, runtime)
        .withPartitionRows(partitionRows).fit(train, sc.emptyRDD(),
        spec, config, start, (stats, params) -> {
          clock.pause();
          double[] m = HeldOut.score(test.labels(), HeldOut.predict(model, params, test));
          points.add(new TrainerResult.Point(clock.seconds(), stats.epoch(), m[0], m[1]));
          System.out.printf("%s epoch %d: %.2f s (%.0f rows/s), accuracy %.4f, log loss %.5f%n",
              ctx.trainer(), stats.epoch(), clock.seconds(), stats.rowsPerSecond(), m[1], m[0]);
          clock.resume();
        }, RoundProgress.NONE, Optional.empty());
    clock.pause();
    double bytesPerRound = r.rounds() > 0 ? (double) r.bytesExchanged() / r.rounds() : 0;
    return ctx.result(s.mlp() ? ctx.mlpName(1) : "logistic", s.describe(), clock.seconds(),
        (long) s.epochs() * ctx.data().trainRows(), r.rounds(), bytesPerRound, points,
        "duplicate pushes " + r.duplicatePushes(), r.computeSeconds());
  }

  /** The prepared parts as {@code workers} cached blocks. */
  static JavaRDD<ExampleBlock> repartition(BenchContext ctx, int workers) {
    JavaRDD<ExampleBlock> parts = BenchSpark.trainBlocks(ctx.spark(), ctx.data(),
        StorageLevel.MEMORY_ONLY());
    long seed = ctx.seed();
    if (workers == ctx.data().parts()) {
      // as the loader builds blocks: each one's rows in random order once
      JavaRDD<ExampleBlock> cached = SparkDataLoader.preShuffled(parts, seed)
          .persist(StorageLevel.MEMORY_AND_DISK());
      cached.count();
      parts.unpersist(true);
      return cached;
    }
    if (workers != 1) {
      throw new IllegalArgumentException("workers must be 1 or the prepared parts ("
          + ctx.data().parts() + "), got " + workers);
    }
    // One block built in a task from the parts' blocks in their order; the driver never holds
    // the rows (a parallelized collection would ship the whole block inside every epoch's
    // task). A shuffle, not a coalesce: a barrier stage refuses a coalesce among its ancestors.
    JavaRDD<ExampleBlock> one = parts
        .mapPartitionsWithIndex((part, it) -> {
          List<Tuple2<Long, ExampleBlock>> keyed = new ArrayList<>();
          for (long pos = 0; it.hasNext(); pos++) {
            keyed.add(new Tuple2<>(((long) part << 32) + pos, it.next()));
          }
          return keyed.iterator();
        }, true)
        .mapToPair(t -> t)
        .partitionBy(new HashPartitioner(1))
        .mapPartitions(it -> {
          List<Tuple2<Long, ExampleBlock>> keyed = new ArrayList<>();
          it.forEachRemaining(keyed::add);
          keyed.sort((a, b) -> Long.compare(a._1(), b._1()));
          ExampleBlock[] blocks = keyed.stream().map(Tuple2::_2).toArray(ExampleBlock[]::new);
          return List.of(PartitionWorker.preShuffle(BenchData.concat(blocks), seed, 0))
              .iterator();
        })
        .persist(StorageLevel.MEMORY_AND_DISK());
    one.count();
    parts.unpersist(true);
    return one;
  }
}
