package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseModel;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.KeyedJobSpec;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The mutable state of one {@link KeyedTrainer} run. Lifecycle: {@link #begin} (init the keyed
 * job, or restore it from the run's checkpoint), then {@link #epoch} for each epoch until
 * {@link #stopped}, with {@link #recover} after an epoch that failed, then {@link #finish}.
 *
 * <p>With a checkpoint ({@code --checkpoint-dir}), the shards checkpoint their tables at version
 * 0 and at the end of every epoch, and the driver then records the epoch ({@link RunCheckpoint}).
 * An epoch runs as one attempt of its barrier stage, watched by a {@link ShardWatch}; when it
 * fails (an executor or a server process died), the run waits for every shard to answer, takes a
 * fresh job id (so no task of the failed attempt counts any more) and restores every shard from
 * their newest common checkpoint: the last recorded epoch's end. It then runs the next epoch
 * again; in sync mode the result is the uninterrupted run's, bit for bit.
 *
 * <p>Early stopping is the dense path's ({@link EarlyStopping}: --tol, --patience) on the
 * held-out loss, or on the training loss without validation rows. With validation rows the
 * model is the best epoch's tables ({@link BestTables}), otherwise the last epoch's.
 */
final class KeyedEpochs implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      KeyedTrainer.class);
  /** Restores after failed epochs, in one run, before it gives up. */
  static final int MAX_RECOVERIES = 3;
  private static final float[] NO_PARAMS = new float[0];

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;
  private final JavaRDD<Block> blocks;
  private final JavaRDD<Block> held;
  private final ModelSpec spec;
  private final SparseModel model;
  private final TrainingConfig config;
  private final EpochPlan plan;
  private final KeyedJobSpec job;
  private final Optional<RunCheckpoint> checkpoint;
  private final BestTables best;
  private final Consumer<EpochStats> listener;
  private final EarlyStopping stopping;
  private final List<EpochStats> history = new ArrayList<>();
  private final long total;
  private ParameterServerSession ps;
  private long bytes;
  private int recoveries;
  private boolean stopped;
  private boolean validates;

  KeyedEpochs(JavaSparkContext sc, RuntimeSettings runtime, ParameterServerSession ps,
      Optional<RunCheckpoint> checkpoint, KeyedTrainer.Inputs in, KeyedJobSpec job,
      BestTables best, Consumer<EpochStats> listener) {
    this.sc = sc;
    this.runtime = runtime;
    this.ps = ps;
    this.checkpoint = checkpoint;
    this.blocks = in.train();
    this.held = in.validation();
    this.spec = in.spec();
    this.model = in.model();
    this.config = in.config();
    this.plan = in.plan();
    this.job = job;
    this.best = best;
    this.listener = listener;
    this.stopping = new EarlyStopping(config.patience(), config.tol());
    this.total = java.util.Arrays.stream(plan.partitionRows()).asLongStream().sum();
  }

  boolean stopped() {
    return stopped;
  }

  /**
   * Starts the job: restored from the checkpoint when {@code state} names a recorded epoch, else
   * initialized at version 0 (replacing the job the shards run when {@code replace}: a resumed
   * or recovered run's own). Returns the epochs done.
   */
  int begin(Optional<RunCheckpoint.Resumed> state, boolean replace) {
    history.clear();
    if (state.isPresent()) {
      return restore(state.get());
    }
    stopping.restore(new EarlyStopping.State(Double.POSITIVE_INFINITY, 0, 0, NO_PARAMS, null));
    if (replace) {
      ps.admin().replaceKeyed(job);
    } else {
      ps.admin().initKeyed(job);
    }
    // version 0 on every shard: a failed first epoch restarts from it, and a --ps server
    // without --checkpoint-dir is named now rather than after an epoch
    checkpoint.ifPresent(c -> ps.admin().checkpoint());
    return 0;
  }

  private int restore(RunCheckpoint.Resumed r) {
    long version = ps.admin().restore();
    int recorded = r.state().epoch();
    long rounds = plan.rounds();
    if (version % rounds != 0 || version / rounds < recorded || version / rounds > recorded + 1) {
      throw new IllegalStateException("the parameter server's checkpoint is at round " + version
          + " but the run recorded the end of epoch " + recorded + " (" + rounds + " rounds "
          + "each); the shards' checkpoint directory holds another job's checkpoints or "
          + "checkpoints taken between epochs (--checkpoint-every). Give the servers of a run "
          + "their own --checkpoint-dir, without --checkpoint-every.");
    }
    history.addAll(r.state().history());
    stopping.restore(r.stopping());
    validates = history.stream().anyMatch(s -> !Double.isNaN(s.validationLoss()));
    int done = (int) (version / rounds);
    if (done > recorded) {
      // the shards checkpointed an epoch whose end the driver did not record: record it now
      endEpoch(done, Double.NaN, total, 0, false, () -> { });
    }
    return done;
  }

  /** Runs {@code epoch}: one barrier stage, the held-out loss, the stop check, the checkpoint. */
  void epoch(int epoch) {
    long e0 = System.nanoTime();
    long first = (long) (epoch - 1) * plan.rounds();
    long end = first + plan.rounds();
    EpochJob ej = new EpochJob(spec, config, plan, epoch, first, ps.workers(),
        runtime.pullDeadlineSeconds(), mode() instanceof ConsistencyMode.Sync, runtime.backend(),
        0, plan.rounds(), new EpochJob.KeyedLayout(job.shardingSeed()));
    if (checkpoint.isEmpty()) {
      List<EpochReport> reports = BarrierEpoch.run(blocks, ej);
      ps.admin().awaitRound(end, deadline());
      endEpoch(epoch, reports, e0, () -> { });
      return;
    }
    watched(ej, end, e0);
  }

  /**
   * A checkpointed epoch: one attempt of its stage, then its end, under a {@link ShardWatch}
   * that cancels the epoch's Spark jobs and aborts the admin's calls when a shard is lost.
   */
  private void watched(EpochJob ej, long end, long e0) {
    ParameterServerAdmin admin = ps.admin();
    String group = "sparkps-keyed-epoch-" + ej.epoch() + "-" + Long.toHexString(
        ps.workers().jobId());
    sc.setJobGroup(group, "SparkPS keyed epoch " + ej.epoch(), true);
    try (ShardWatch watch = new ShardWatch(admin, ps.workers().jobId(), () -> {
      sc.cancelJobGroup(group);
      admin.abort();
    })) {
      try {
        List<EpochReport> reports = BarrierEpoch.run(blocks, ej, () -> { }, 1);
        admin.awaitRound(end, deadline());
        if (watch.lost().isPresent()) {
          throw new IllegalStateException("epoch " + ej.epoch() + " is void");
        }
        // the watch ends before the shards write: a shard streaming a large table answers
        // nothing else meanwhile, and its silence is no loss
        endEpoch(ej.epoch(), reports, e0, watch::close);
      } catch (Exception e) { // also Spark's checked SparkException, thrown through Scala
        if (watch.lost().isPresent()) {
          throw new IllegalStateException("epoch " + ej.epoch() + " failed: "
              + watch.lost().get(), e);
        }
        throw e;
      }
    } finally {
      sc.clearJobGroup();
    }
  }

  private void endEpoch(int epoch, List<EpochReport> reports, long e0, Runnable scored) {
    long examples = reports.stream().mapToLong(EpochReport::examples).sum();
    double trainLoss = reports.stream().mapToDouble(EpochReport::lossSum).sum()
        / Math.max(1, examples);
    bytes += reports.stream().mapToLong(EpochReport::bytesExchanged).sum();
    double stage = (System.nanoTime() - e0) / 1e9;
    LOG.info(String.format(Locale.ROOT, "keyed epoch %d: the rounds took %.3f s; per worker "
        + "(most) set-up %.3f s, compute %.3f s, pulls and pushes %.3f s", epoch, stage,
        max(reports, EpochReport::setupSeconds), max(reports, EpochReport::computeSeconds),
        max(reports, EpochReport::waitSeconds)));
    endEpoch(epoch, trainLoss, examples, stage, true, scored);
  }

  private static double max(List<EpochReport> reports,
      java.util.function.ToDoubleFunction<EpochReport> f) {
    return reports.stream().mapToDouble(f).max().orElse(0);
  }

  /**
   * The end of an epoch the shards completed: held-out loss ({@code scored} runs after it), stop
   * check, the best tables, the checkpoint ({@code serverCheckpoint}: the shards' too, not only
   * the driver's record).
   */
  private void endEpoch(int epoch, double trainLoss, long examples, double seconds,
      boolean serverCheckpoint, Runnable scored) {
    long end = (long) epoch * plan.rounds();
    long s0 = System.nanoTime();
    double valLoss = KeyedScoring.meanLoss(held, model, ps.workers(), job.shardingSeed(), end,
        runtime.backend());
    long s1 = System.nanoTime();
    scored.run();
    EpochStats stats = new EpochStats(epoch, trainLoss, valLoss, end, examples, seconds);
    history.add(stats);
    validates |= !Double.isNaN(valLoss);
    stopped = stopping.update(epoch, validates ? valLoss : trainLoss, NO_PARAMS);
    if (validates && stopping.bestEpoch() == epoch) {
      best.export(epoch, ps.admin(), deadline());
    }
    long s2 = System.nanoTime();
    if (checkpoint.isPresent()) {
      if (serverCheckpoint) {
        ps.admin().checkpoint();
      }
      EarlyStopping.State st = stopping.state();
      checkpoint.get().write(new RunCheckpoint.State(epoch, List.copyOf(history),
          st.bestLoss(), st.bestEpoch(), st.sinceBest(), st.reference(), config.localSteps()),
          st);
    }
    if (validates) {
      best.prune(stopping.bestEpoch());
    }
    LOG.info(String.format(Locale.ROOT, "keyed epoch %d: training loss %.6f, held-out loss "
        + "%.6f%s (held-out scoring %.3f s, best tables %.3f s, checkpoint %.3f s)", epoch,
        trainLoss, valLoss, stopped ? "; converged" : "", (s1 - s0) / 1e9, (s2 - s1) / 1e9,
        (System.nanoTime() - s2) / 1e9));
    listener.accept(stats);
  }

  /** Whether a failed epoch can be run again from the checkpoint. */
  boolean mayRecover() {
    return checkpoint.isPresent() && recoveries < MAX_RECOVERIES;
  }

  /**
   * After a failed epoch ({@code cause}): waits for every shard, renews the job id and restores
   * the last recorded epoch; returns the epochs done.
   */
  int recover(Exception cause) {
    recoveries++;
    LOG.warn("a keyed epoch failed ({}); restoring every shard from the run's last checkpoint "
        + "(recovery {} of {})", cause.toString(), recoveries, MAX_RECOVERIES);
    ps = ps.renew(); // a fresh admin too: the watch may have aborted the old one
    try {
      ps.awaitShards(deadline());
    } catch (IllegalStateException e) {
      e.addSuppressed(cause);
      throw e;
    }
    int done = begin(checkpoint.orElseThrow().read(), true);
    LOG.info("restored the keyed job after epoch {}; continuing", done);
    return done;
  }

  /** Writes the model: the best epoch's tables, or the last epoch's. */
  KeyedTrainer.Result finish(java.net.URI modelDir) {
    int bestEpoch = validates ? stopping.bestEpoch() : 0;
    long keys;
    if (bestEpoch > 0) {
      keys = best.install(bestEpoch);
    } else {
      best.prune(-1);
      keys = ps.admin().exportKeyed(modelDir, deadline());
      bestEpoch = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }
    String reason = KeyedTrainer.stopReason(stopped, validates, config, stopping);
    LOG.info("the shards wrote " + keys + " keys into " + modelDir + " (epoch " + bestEpoch
        + "); " + reason);
    int last = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    return new KeyedTrainer.Result(List.copyOf(history), (long) last * plan.rounds(), bytes,
        keys, modelDir, bestEpoch, stopped, reason, recoveries);
  }

  private ConsistencyMode mode() {
    return RuntimeSettings.mode(runtime.sync());
  }

  private Duration deadline() {
    return Duration.ofSeconds(runtime.pullDeadlineSeconds());
  }

  /** Drops what the session started at once, keeping the last checkpoint (a failed run). */
  void abandon() {
    ps.abandon();
  }

  @Override
  public void close() {
    ps.close();
  }
}
