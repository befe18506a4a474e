package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.CompactBatch;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains a sparse model (logistic, linear, softmax, fm, wide-deep) through a keyed job: the
 * servers hold one row per key, created on first touch from the model's seeded initializer, and
 * step each pushed key with the job's rule ({@link SparseRules}); the workers pull and push only
 * the keys of their minibatches ({@code KeyedEpochTask}). Neither the driver nor a worker ever
 * holds the model: the epoch's held-out loss is computed on the executors against the servers
 * ({@link KeyedScoring}), and the trained model is written by the shards themselves into the
 * model directory ({@code ParameterServerAdmin.exportKeyed}: one {@code keyed/part-*.spkw} per
 * shard, streamed).
 *
 * <p>Not yet here (the dense {@link DistributedTrainer} has them): checks within an epoch,
 * early stopping (every epoch runs; the model is the last epoch's), checkpoints and resume, and
 * the measurement behind "auto" local steps (auto means 1 here).
 */
public final class KeyedTrainer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      KeyedTrainer.class);
  /** Each shard's default bound on its table's bytes. */
  public static final long DEFAULT_TABLE_BYTES = 4L << 30;

  /**
   * The outcome: per-epoch history (the held-out loss when validation rows are given), rounds,
   * payload bytes, and the keys the shards wrote into the model directory.
   */
  public record Result(List<EpochStats> history, long rounds, long bytesExchanged,
      long keysWritten, URI modelDir) {
  }

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;

  public KeyedTrainer(JavaSparkContext sc, RuntimeSettings runtime) {
    this.sc = sc;
    this.runtime = runtime;
  }

  /**
   * Trains {@code spec} on {@code train} (one cached sparse block per partition), reports each
   * epoch to {@code listener}, and exports the model into {@code modelDir} (an absolute Hadoop
   * URI the servers can write).
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, URI modelDir, Consumer<EpochStats> listener) {
    if (!(spec.build() instanceof SparseModel model)) {
      throw new IllegalArgumentException("the keyed layout trains sparse models (logistic, "
          + "linear, softmax, fm, wide-deep), got " + spec.name() + "; use --ps-layout dense.");
    }
    if (config.autoLocalSteps()) {
      LOG.info("local steps auto: 1 with the keyed layout (a keyed round moves only its "
          + "minibatch's keys; give --local-steps K to average after K steps)");
      config = config.withLocalSteps(1);
    }
    JavaRDD<Block> blocks = BarrierEpoch.widen(train);
    JavaRDD<Block> held = BarrierEpoch.widen(validation);
    int[] rows = io.sparkps.driver.data.SparkDataLoader.partitionRows(blocks);
    EpochPlan plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    long shardingSeed = config.seed();
    KeyedJobSpec job = new KeyedJobSpec(model.rowWidth(), SparseRules.of(config.optimizer()),
        Optional.of(spec), config.seed(), shardingSeed, DEFAULT_TABLE_BYTES, initialTail(spec,
        config.seed()), config.optimizer(), plan.partitions(), RuntimeSettings.mode(
        runtime.sync()));
    String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
    try (ParameterServerSession ps = ParameterServerSession.open(runtime, host)) {
      try {
        ps.admin().initKeyed(job);
        List<EpochStats> history = new ArrayList<>();
        long bytes = 0;
        boolean sync = RuntimeSettings.mode(runtime.sync())
            instanceof io.sparkps.ps.api.ConsistencyMode.Sync;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
          long e0 = System.nanoTime();
          long first = (long) (epoch - 1) * plan.rounds();
          EpochJob ej = new EpochJob(spec, config, plan, epoch, first, ps.workers(),
              runtime.pullDeadlineSeconds(), sync, runtime.backend(), 0, plan.rounds(),
              new EpochJob.KeyedLayout(shardingSeed));
          List<EpochReport> reports = BarrierEpoch.run(blocks, ej);
          long end = first + plan.rounds();
          ps.admin().awaitRound(end, Duration.ofSeconds(runtime.pullDeadlineSeconds()));
          long examples = reports.stream().mapToLong(EpochReport::examples).sum();
          double trainLoss = reports.stream().mapToDouble(EpochReport::lossSum).sum()
              / Math.max(1, examples);
          double valLoss = KeyedScoring.meanLoss(held, model, ps.workers(), shardingSeed, end,
              runtime.backend());
          bytes += reports.stream().mapToLong(EpochReport::bytesExchanged).sum();
          EpochStats stats = new EpochStats(epoch, trainLoss, valLoss, end, examples,
              (System.nanoTime() - e0) / 1e9);
          LOG.info(String.format(Locale.ROOT, "keyed epoch %d: training loss %.6f, held-out "
              + "loss %.6f", epoch, trainLoss, valLoss));
          history.add(stats);
          listener.accept(stats);
        }
        long keys = ps.admin().exportKeyed(modelDir, Duration.ofSeconds(
            runtime.pullDeadlineSeconds()));
        LOG.info("the shards wrote " + keys + " keys into " + modelDir);
        return new Result(List.copyOf(history), (long) config.epochs() * plan.rounds(), bytes,
            keys, modelDir);
      } catch (Throwable e) { // also Spark's checked SparkException, thrown through Scala
        ps.abandon();
        throw e;
      }
    }
  }

  /** The dense tail's seeded initial values, from a model of one key (the tail's size). */
  static float[] initialTail(ModelSpec spec, long seed) {
    SparseModel one = (SparseModel) CompactBatch.withKeys(spec, 1).build();
    float[] p = new float[one.parameterCount()];
    one.initialize(p, seed);
    return java.util.Arrays.copyOfRange(p, one.rowWidth(), p.length);
  }
}
