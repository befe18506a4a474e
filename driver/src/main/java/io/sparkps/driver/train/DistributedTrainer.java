package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Trains over cached Spark partitions with the parameter server: one barrier stage per epoch
 * whose tasks run their rounds against the server; the driver only starts stages, waits, and
 * evaluates between epochs. The same {@link EpochPlan} and per-partition math as the reference
 * trainer, so the two agree on the same partitions and seed.
 *
 * <p>Lifecycle: construct with the Spark context and runtime settings; {@link #fit} opens (or
 * connects to) the parameter server, initializes the job with the start parameters, runs the
 * epochs, and closes what it started.
 */
public final class DistributedTrainer {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DistributedTrainer.class);

  /**
   * The outcome: best parameters, per-epoch history, traffic, and the server's account of the
   * pushes: {@code duplicatePushes} were acknowledged and ignored (retried tasks), and
   * {@code irregularRounds} counts rounds whose counted pushes differ from the number of
   * partitions, which a synchronous run never has. {@code computeSeconds} sums, over the
   * epochs run here, the compute time of each epoch's slowest partition (its minibatch steps,
   * without set-up and without waiting on the server): the time the epochs would have taken if
   * communication cost nothing.
   */
  public record Result(float[] params, List<EpochStats> history, int bestEpoch,
      boolean stoppedEarly, long rounds, long bytesExchanged, double trainSeconds,
      long duplicatePushes, long irregularRounds, double computeSeconds) {
  }

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;
  private final Optional<int[]> partitionRows;
  private final Optional<RunCheckpoint> run;

  public DistributedTrainer(JavaSparkContext sc, RuntimeSettings runtime) {
    this(sc, runtime, Optional.empty(), Optional.empty());
  }

  private DistributedTrainer(JavaSparkContext sc, RuntimeSettings runtime,
      Optional<int[]> partitionRows, Optional<RunCheckpoint> run) {
    this.sc = sc;
    this.runtime = runtime;
    this.partitionRows = partitionRows;
    this.run = run;
  }

  /**
   * This trainer, told the rows of each training partition's block (as the loader reports them),
   * so {@link #fit} does not count them with a Spark job of its own (a few tens of milliseconds
   * per fit). A task whose block has other rows fails with both counts.
   */
  public DistributedTrainer withPartitionRows(int[] rows) {
    return new DistributedTrainer(sc, runtime, Optional.of(rows.clone()), run);
  }

  /**
   * This trainer, checkpointing into {@code checkpoints} (a run that {@code train} claimed or
   * {@code resume} opened) instead of claiming the runtime settings' checkpoint directory itself.
   */
  public DistributedTrainer withCheckpoints(RunCheckpoint checkpoints) {
    return new DistributedTrainer(sc, runtime, partitionRows, Optional.of(checkpoints));
  }

  /** The run's checkpoints: the given ones, or the settings' directory claimed or reopened. */
  private Optional<RunCheckpoint> checkpoints(boolean resuming) {
    return run.or(() -> runtime.checkpointDir().map(d -> resuming
        ? RunCheckpoint.open(d, sc.hadoopConfiguration())
        : RunCheckpoint.create(d, sc.hadoopConfiguration())));
  }

  /**
   * Trains {@code spec} from {@code start} on {@code train} (one cached block per partition);
   * {@code validation} (possibly empty) decides early stopping.
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, float[] start, Consumer<EpochStats> listener) {
    return fit(train, validation, spec, config, start, listener, RoundProgress.NONE);
  }

  /** As {@link #fit}, also reporting rounds within each epoch to {@code progress}. */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, float[] start, Consumer<EpochStats> listener,
      RoundProgress progress) {
    return fit(train, validation, spec, config, start, listener, progress, Optional.empty());
  }

  /**
   * As {@link #fit}; with {@code resume}, the parameter server restores its checkpoint instead
   * of starting from {@code start}, and training continues after the last completed epoch with
   * the checkpointed history and early-stopping state, ending as the uninterrupted run would.
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, float[] start, Consumer<EpochStats> listener,
      RoundProgress progress, Optional<RunCheckpoint.Resumed> resume) {
    return fit(train, validation, spec, config, start, (stats, params) -> listener.accept(stats),
        progress, resume);
  }

  /**
   * As {@link #fit}, with an observer that also receives the parameters at the end of each
   * epoch (for example to evaluate them on held-out data outside the timed training).
   */
  public Result fit(JavaRDD<? extends Block> train, JavaRDD<? extends Block> validation,
      ModelSpec spec, TrainingConfig config, float[] start, EpochObserver listener,
      RoundProgress progress, Optional<RunCheckpoint.Resumed> resume) {
    int[] rows = partitionRows.isPresent() ? given(partitionRows.get(), train)
        : io.sparkps.driver.data.SparkDataLoader.partitionRows(BarrierEpoch.widen(train));
    EpochPlan plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
    Optional<RunCheckpoint> checkpoints = checkpoints(resume.isPresent());
    try (ParameterServerSession ps = ParameterServerSession.open(runtime, host,
        checkpoints.map(RunCheckpoint::psDir))) {
      try {
        Run run = new Run(ps, checkpoints, BarrierEpoch.widen(train),
            BarrierEpoch.widen(validation), spec, config, plan, listener, progress);
        int done = resume.isPresent() ? run.restore(resume.get()) : 0;
        // a fresh job is initialized while Spark launches the first epoch's tasks
        Runnable init = resume.isPresent() ? () -> { } : () -> run.init(start);
        for (int epoch = done + 1; epoch <= config.epochs() && !run.stopped; epoch++) {
          run.epoch(epoch, epoch == done + 1 ? init : () -> { });
        }
        return run.result();
      } catch (Throwable e) { // also Spark's checked SparkException, thrown through Scala
        ps.abandon(); // report the failure now, and keep the last epoch's checkpoint
        throw e;
      }
    }
  }

  /** The mutable state of one training run against one parameter-server session. */
  private final class Run {
    private final ParameterServerSession ps;
    private final JavaRDD<Block> train;
    private final JavaRDD<Block> validation;
    private final ModelSpec spec;
    private final TrainingConfig config;
    private final EpochPlan plan;
    private final EpochObserver listener;
    private final RoundProgress progress;
    private final ConsistencyMode mode = RuntimeSettings.mode(runtime.sync());
    private final Optional<RunCheckpoint> checkpoint;
    private final EarlyStopping stopping;
    private final List<EpochStats> history = new ArrayList<>();
    private final long total;
    private final long t0 = System.nanoTime();
    private float[] params;
    private long bytes;
    private double computeSeconds;
    private boolean stopped;

    Run(ParameterServerSession ps, Optional<RunCheckpoint> checkpoint, JavaRDD<Block> train,
        JavaRDD<Block> validation, ModelSpec spec, TrainingConfig config, EpochPlan plan,
        EpochObserver listener, RoundProgress progress) {
      this.ps = ps;
      this.checkpoint = checkpoint;
      this.train = train;
      this.validation = validation;
      this.spec = spec;
      this.config = config;
      this.plan = plan;
      this.listener = listener;
      this.progress = progress;
      this.stopping = new EarlyStopping(config.patience());
      this.total = java.util.Arrays.stream(plan.partitionRows()).asLongStream().sum();
    }

    void init(float[] start) {
      ps.admin().init(new JobSpec(start.length, config.optimizer(),
          new InitialValues.Values(start.clone()), plan.partitions(), mode));
      params = start;
    }

    /** Restores the server's checkpoint; returns the last epoch it completed. */
    int restore(RunCheckpoint.Resumed r) {
      long version = ps.admin().restore();
      if (version % plan.rounds() != 0 || version / plan.rounds() < r.state().epoch()) {
        throw new IllegalStateException("the parameter server's checkpoint is at round " + version
            + " but the run's state is at the end of epoch " + r.state().epoch() + " ("
            + plan.rounds() + " rounds each); the checkpoint does not belong to this job");
      }
      history.addAll(r.state().history());
      stopping.restore(r.stopping());
      params = ps.admin().snapshot().values();
      int done = (int) (version / plan.rounds());
      if (done > r.state().epoch()) {
        // the server checkpointed an epoch whose end the driver did not record: record it now
        endEpoch(done, new EpochStats(done, Double.NaN, Double.NaN, version, total, 0), false);
      }
      return done;
    }

    /** Runs {@code epoch}; {@code whileStarting} runs while Spark launches its tasks. */
    void epoch(int epoch, Runnable whileStarting) {
      long e0 = System.nanoTime();
      long firstRound = (long) (epoch - 1) * plan.rounds();
      EpochJob job = new EpochJob(spec, config, plan, epoch, firstRound, ps.workers(),
          runtime.pullDeadlineSeconds(), mode instanceof ConsistencyMode.Sync,
          runtime.backend());
      List<EpochReport> reports;
      try (RoundPoller poller = new RoundPoller(ps.admin(), progress, epoch, config.epochs(),
          firstRound, plan.rounds())) {
        reports = BarrierEpoch.run(train, job, whileStarting);
      }
      double stage = (System.nanoTime() - e0) / 1e9;
      ps.admin().awaitRound(firstRound + plan.rounds(),
          Duration.ofSeconds(runtime.pullDeadlineSeconds()));
      params = ps.admin().snapshot().values();
      if (LOG.isInfoEnabled()) {
        LOG.info(String.format(java.util.Locale.ROOT, "epoch %d: %d rounds, stage %.3f s; per "
            + "partition set-up %s s, compute %s s, waiting on the server %s s", epoch,
            plan.rounds(), stage, seconds(reports, EpochReport::setupSeconds),
            seconds(reports, EpochReport::computeSeconds),
            seconds(reports, EpochReport::waitSeconds)));
      }
      bytes += reports.stream().mapToLong(EpochReport::bytesExchanged).sum();
      computeSeconds += reports.stream().mapToDouble(EpochReport::computeSeconds).max()
          .orElse(0);
      double lossSum = reports.stream().mapToDouble(EpochReport::lossSum).sum();
      endEpoch(epoch, new EpochStats(epoch, lossSum / total, Double.NaN,
          (long) epoch * plan.rounds(), total, (System.nanoTime() - e0) / 1e9), true);
    }

    /** Validation, early stopping and the checkpoint of an epoch the server has completed. */
    private void endEpoch(int epoch, EpochStats partial, boolean serverCheckpoint) {
      double valLoss = meanLoss(validation, spec, params);
      java.util.Map<String, Double> metrics = Double.isNaN(valLoss) ? java.util.Map.of()
          : io.sparkps.driver.data.SparkEvaluation.evaluate(validation, spec, params);
      EpochStats stats = new EpochStats(epoch, partial.trainLoss(), valLoss, partial.updates(),
          partial.rows(), partial.seconds(), metrics);
      history.add(stats);
      stopped = stopping.update(epoch, valLoss, params);
      if (checkpoint.isPresent()) {
        if (serverCheckpoint) {
          ps.admin().checkpoint();
        }
        EarlyStopping.State st = stopping.state();
        checkpoint.get().write(new RunCheckpoint.State(epoch, List.copyOf(history),
            st.bestLoss(), st.bestEpoch(), st.sinceBest()), st);
      }
      listener.epochEnded(stats, params);
    }

    Result result() {
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<RoundStats> rounds = ps.admin().history(0);
      long duplicates = rounds.stream().mapToLong(RoundStats::duplicates).sum();
      long irregular = mode instanceof ConsistencyMode.Sync
          ? rounds.stream().filter(x -> x.pushes() != plan.partitions()).count() : 0;
      return new Result(stopping.bestParamsOr(params), List.copyOf(history),
          stopping.bestEpoch(), stopped, (long) history.size() * plan.rounds(), bytes, seconds,
          duplicates, irregular, computeSeconds);
    }
  }

  private static int[] given(int[] rows, JavaRDD<? extends Block> train) {
    if (rows.length != train.getNumPartitions()) {
      throw new IllegalArgumentException("the trainer was given the rows of " + rows.length
          + " partitions but the training data has " + train.getNumPartitions() + "; pass one "
          + "count per partition, in partition order");
    }
    return rows;
  }

  private static List<String> seconds(List<EpochReport> reports,
      java.util.function.ToDoubleFunction<EpochReport> f) {
    return reports.stream().map(r -> String.format(java.util.Locale.ROOT, "%.3f",
        f.applyAsDouble(r))).toList();
  }

  /** The mean loss of {@code params} over {@code data} in one Spark job; NaN when it is empty. */
  double meanLoss(JavaRDD<Block> data, ModelSpec spec, float[] params) {
    Broadcast<float[]> p = sc.broadcast(params);
    try {
      List<double[]> parts = data.map(b -> {
        double mean = new Objective(spec.build(), Regularizer.NONE).meanLoss(p.value(), b, 4096);
        return new double[] {b.rows() == 0 ? 0 : mean * b.rows(), b.rows()};
      }).collect();
      double sum = 0;
      double n = 0;
      for (double[] d : parts) {
        sum += d[0];
        n += d[1];
      }
      return n == 0 ? Double.NaN : sum / n;
    } finally {
      p.destroy();
    }
  }
}
