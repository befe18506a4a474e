package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.CompactBatch;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.worker.BarrierEpoch;
import java.net.URI;
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
 * <p>With checkpoints ({@link #withCheckpoints}) the shards checkpoint their tables and the
 * driver its record of the run after every epoch, a failed epoch is run again from the last
 * checkpoint (a server process killed and restarted included), and {@code sparkps resume}
 * continues a run whose driver died ({@link KeyedEpochs}). Early stopping is the dense path's
 * (--tol, --patience), keeping the best epoch's tables when there are validation rows.
 *
 * <p>Not yet here (the dense {@link DistributedTrainer} has them): checks within an epoch and
 * the measurement behind "auto" local steps (auto means 1 here).
 */
public final class KeyedTrainer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      KeyedTrainer.class);
  /** Each shard's default bound on its table's bytes. */
  public static final long DEFAULT_TABLE_BYTES = 4L << 30;

  /**
   * The outcome: per-epoch history (the held-out loss when validation rows are given), rounds,
   * payload bytes, the keys the shards wrote into the model directory, the epoch whose tables
   * they are, whether the run converged before --epochs and why it ended, and how many failed
   * epochs were run again from the checkpoint.
   */
  public record Result(List<EpochStats> history, long rounds, long bytesExchanged,
      long keysWritten, URI modelDir, int modelEpoch, boolean stopped, String stopReason,
      int recoveries) {
  }

  /** What one run trains on, resolved once. */
  record Inputs(JavaRDD<Block> train, JavaRDD<Block> validation, ModelSpec spec,
      SparseModel model, TrainingConfig config, EpochPlan plan) {
  }

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;
  private final Optional<RunCheckpoint> checkpoint;
  private final boolean resumed;

  public KeyedTrainer(JavaSparkContext sc, RuntimeSettings runtime) {
    this(sc, runtime, Optional.empty(), false);
  }

  private KeyedTrainer(JavaSparkContext sc, RuntimeSettings runtime,
      Optional<RunCheckpoint> checkpoint, boolean resumed) {
    this.sc = sc;
    this.runtime = runtime;
    this.checkpoint = checkpoint;
    this.resumed = resumed;
  }

  /**
   * This trainer, checkpointing into {@code run}: a run {@code train} claimed, or, with
   * {@code resumed}, the one {@code resume} opened (whose job the shards may still run).
   */
  public KeyedTrainer withCheckpoints(RunCheckpoint run, boolean resumed) {
    return new KeyedTrainer(sc, runtime, Optional.of(run), resumed);
  }

  /**
   * Trains {@code spec} on {@code train} (one cached sparse block per partition), reports each
   * epoch to {@code listener}, and exports the model into {@code modelDir} (an absolute Hadoop
   * URI the servers can write).
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, URI modelDir, Consumer<EpochStats> listener) {
    return fit(train, validation, spec, config, modelDir, listener, Optional.empty());
  }

  /**
   * As {@link #fit}; with {@code resume} (the checkpoint's last recorded epoch), the shards
   * restore their checkpoint and training continues after that epoch, ending as the
   * uninterrupted run would.
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, URI modelDir, Consumer<EpochStats> listener,
      Optional<RunCheckpoint.Resumed> resume) {
    if (!(spec.build() instanceof SparseModel model)) {
      throw new IllegalArgumentException("the keyed layout trains sparse models (logistic, "
          + "linear, softmax, fm, wide-deep), got " + spec.name() + "; use --ps-layout dense.");
    }
    if (config.autoLocalSteps()) {
      LOG.info("local steps auto: 1 with the keyed layout (a keyed round moves only its "
          + "minibatch's keys; give --local-steps K to average after K steps)");
      config = config.withLocalSteps(1);
    }
    long t0 = System.nanoTime();
    JavaRDD<Block> blocks = BarrierEpoch.widen(train);
    int[] rows = io.sparkps.driver.data.SparkDataLoader.partitionRows(blocks);
    EpochPlan plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    long shardingSeed = config.seed();
    KeyedJobSpec job = new KeyedJobSpec(model.rowWidth(), SparseRules.of(config.optimizer()),
        Optional.of(spec), config.seed(), shardingSeed, DEFAULT_TABLE_BYTES, initialTail(spec,
        config.seed()), config.optimizer(), plan.partitions(), RuntimeSettings.mode(
        runtime.sync()));
    Inputs in = new Inputs(blocks, BarrierEpoch.widen(validation), spec, model, config, plan);
    String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
    BestTables best = new BestTables(modelDir, sc.hadoopConfiguration());
    long t1 = System.nanoTime();
    ParameterServerSession session = ParameterServerSession.open(runtime, host,
        checkpoint.map(RunCheckpoint::psDir));
    long t2 = System.nanoTime();
    try (KeyedEpochs run = new KeyedEpochs(sc, runtime, session, checkpoint, in, job, best,
        listener)) {
      try {
        int epoch = run.begin(resume, resumed) + 1;
        LOG.info(String.format(java.util.Locale.ROOT, "keyed run set up in %.3f s (row counts "
            + "%.3f s, parameter server session %.3f s, job %.3f s)", (System.nanoTime() - t0)
            / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9));
        while (epoch <= config.epochs() && !run.stopped()) {
          try {
            run.epoch(epoch);
            epoch++;
          } catch (Exception e) { // also Spark's checked SparkException, thrown through Scala
            if (!run.mayRecover()) {
              throw e;
            }
            epoch = run.recover(e) + 1;
          }
        }
        return run.finish(modelDir);
      } catch (Throwable e) {
        run.abandon(); // report the failure now, and keep the last epoch's checkpoint
        throw e;
      }
    }
  }

  /** Why the run ended, in a sentence for metrics.json and the log. */
  static String stopReason(boolean stopped, boolean validates, TrainingConfig config,
      EarlyStopping stopping) {
    String loss = validates ? "validation" : "training";
    if (stopped) {
      return String.format(Locale.ROOT, "converged: the %s loss did not improve by a relative "
          + "%s (--tol) in %d epoch%s after its best, %.6f in epoch %d, %s", loss, config.tol(),
          config.patience(), config.patience() == 1 ? "" : "s", stopping.bestLoss(),
          stopping.bestEpoch(), validates ? "whose tables are kept"
              : "and the last tables are kept (without validation rows)");
    }
    return "ran all " + config.epochs() + " epochs (--epochs)"
        + (config.patience() == 0 ? "; convergence stopping is off (--patience 0)"
            : "; the " + loss + " loss was still improving by more than --tol " + config.tol())
        + (validates ? "; the model is the best epoch's, " + stopping.bestEpoch() : "");
  }

  /** The dense tail's seeded initial values, from a model of one key (the tail's size). */
  static float[] initialTail(ModelSpec spec, long seed) {
    SparseModel one = (SparseModel) CompactBatch.withKeys(spec, 1).build();
    float[] p = new float[one.parameterCount()];
    one.initialize(p, seed);
    return java.util.Arrays.copyOfRange(p, one.rowWidth(), p.length);
  }
}
