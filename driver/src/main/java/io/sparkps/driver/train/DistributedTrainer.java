package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Objective;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.compute.ComputeBackends;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.LocalSteps;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.worker.Calibration;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Trains over cached Spark partitions with the parameter server: one barrier stage per epoch
 * (or per part of a long epoch, between convergence checks) whose tasks run their rounds against
 * the server; the driver only starts stages, waits, and evaluates between them
 * ({@link TrainingRun}). The same {@link EpochPlan} and per-partition math as the reference
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
   * communication cost nothing. {@code stopReason} says in a sentence why training stopped
   * (convergence or the maximum of epochs), and {@code localSteps} what the run used (the
   * choice of "auto"), {@code roundTimes} the rounds' times for the report.
   */
  public record Result(float[] params, List<EpochStats> history, int bestEpoch,
      boolean stoppedEarly, long rounds, long bytesExchanged, double trainSeconds,
      long duplicatePushes, long irregularRounds, double computeSeconds, String stopReason,
      int localSteps, RoundTimes roundTimes) {
  }

  /**
   * Fits this JVM has completed: its JIT compiler's state is the process's, so the choice of
   * kernels for small work ({@link ComputeBackends#forWork}) depends on it.
   */
  private static final java.util.concurrent.atomic.AtomicInteger FITS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;
  private final Optional<int[]> partitionRows;
  private final Optional<RunCheckpoint> run;
  private final Optional<Long> validationRows;

  public DistributedTrainer(JavaSparkContext sc, RuntimeSettings runtime) {
    this(sc, runtime, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private DistributedTrainer(JavaSparkContext sc, RuntimeSettings runtime,
      Optional<int[]> partitionRows, Optional<RunCheckpoint> run, Optional<Long> validationRows) {
    this.sc = sc;
    this.runtime = runtime;
    this.partitionRows = partitionRows;
    this.run = run;
    this.validationRows = validationRows;
  }

  /**
   * This trainer, told the rows of each training partition's block (as the loader reports them),
   * so {@link #fit} does not count them with a Spark job of its own (a few tens of milliseconds
   * per fit). A task whose block has other rows fails with both counts.
   */
  public DistributedTrainer withPartitionRows(int[] rows) {
    return new DistributedTrainer(sc, runtime, Optional.of(rows.clone()), run, validationRows);
  }

  /**
   * This trainer, told how many validation rows there are (as the loader counted them), so the
   * first check does not count them with a Spark job of its own.
   */
  public DistributedTrainer withValidationRows(long rows) {
    return new DistributedTrainer(sc, runtime, partitionRows, run, Optional.of(rows));
  }

  /**
   * This trainer, checkpointing into {@code checkpoints} (a run that {@code train} claimed or
   * {@code resume} opened) instead of claiming the runtime settings' checkpoint directory itself.
   */
  public DistributedTrainer withCheckpoints(RunCheckpoint checkpoints) {
    return new DistributedTrainer(sc, runtime, partitionRows, Optional.of(checkpoints),
        validationRows);
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
    String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
    long widest = Arrays.stream(rows).max().orElse(0);
    int before = FITS.get();
    LOG.info(ComputeBackends.describe(this.runtime.backend(), start.length, widest, before));
    RuntimeSettings runtime = this.runtime.withBackend(
        ComputeBackends.forWork(this.runtime.backend(), start.length, widest, before));
    Optional<RunCheckpoint> checkpoints = checkpoints(resume.isPresent());
    try (ParameterServerSession ps = ParameterServerSession.open(runtime, host,
        checkpoints.map(RunCheckpoint::psDir))) {
      try {
        Resolved r = resolve(config, BarrierEpoch.widen(train), spec, ps, rows, start, resume,
            runtime);
        TrainingRun run = new TrainingRun(sc, runtime, ps, checkpoints, BarrierEpoch.widen(train),
            BarrierEpoch.widen(validation), spec, r.config(), rows, listener, progress, this);
        validationRows.ifPresent(run::knownValidationRows);
        int done = resume.isPresent() ? run.restore(resume.get()) : 0;
        // a fresh job is initialized while Spark launches the first epoch's tasks
        Runnable init = resume.isPresent() || r.initialized() ? () -> { }
            : () -> run.init(start);
        for (int epoch = done + 1; epoch <= config.epochs() && !run.stopped(); epoch++) {
          run.epoch(epoch, epoch == done + 1 ? init : () -> { });
        }
        DistributedTrainer.Result result = run.result();
        if (FITS.incrementAndGet() > 1 && runtime.parameterServers().isEmpty()) {
          // a JVM that trains again: the next fit's server identity is made in the background
          ParameterServerSession.prepareTls();
        }
        return result;
      } catch (Throwable e) { // also Spark's checked SparkException, thrown through Scala
        ps.abandon(); // report the failure now, and keep the last epoch's checkpoint
        throw e;
      }
    }
  }

  /** The configuration to train with, and whether the job is initialized on the server. */
  private record Resolved(TrainingConfig config, boolean initialized) {
  }

  /**
   * {@code config} with "auto" local steps replaced: by the checkpointed run's choice when
   * resuming, else by {@link LocalSteps}'s rule on what the workers measure now
   * ({@link Calibration}: their local steps on their own blocks, and pulls from the server,
   * where the job is initialized first).
   */
  private Resolved resolve(TrainingConfig config, JavaRDD<Block> train,
      ModelSpec spec, ParameterServerSession ps, int[] rows, float[] start,
      Optional<RunCheckpoint.Resumed> resume, RuntimeSettings runtime) {
    if (!config.autoLocalSteps()) {
      return new Resolved(config, false);
    }
    if (resume.isPresent()) {
      Integer k = resume.get().state().localSteps();
      if (k == null || k < 1) {
        throw new IllegalStateException("the checkpoint does not record the local steps its run "
            + "chose for --local-steps auto; resume with the --local-steps of that run");
      }
      return new Resolved(config.withLocalSteps(k), false);
    }
    int smallest = Arrays.stream(rows).min().orElse(0);
    if (LocalSteps.bound(smallest, config.batchSize()) == 1) {
      LOG.info("local steps auto: 1 (the smallest worker's " + smallest + " rows are fewer than "
          + LocalSteps.MIN_ROWS + " or than " + 2 * LocalSteps.MIN_ROUNDS_PER_EPOCH
          + " minibatches of " + config.batchSize() + ": workers push every step's gradient)");
      return new Resolved(config.withLocalSteps(1), false);
    }
    java.util.Optional<LocalSteps> decided = LocalSteps.unmeasured(start.length, smallest,
        config.batchSize());
    if (decided.isPresent()) {
      // no calibration stage: no measurement could change the choice
      LOG.info(decided.get().explainUnmeasured(start.length, config.batchSize()));
      return new Resolved(config.withLocalSteps(decided.get().steps()), false);
    }
    ps.admin().init(new JobSpec(start.length, config.optimizer(),
        new InitialValues.Values(start.clone()), rows.length,
        RuntimeSettings.mode(runtime.sync())));
    TrainingConfig one = config.withLocalSteps(1);
    EpochPlan plan = EpochPlan.of(rows, one.batchSize(), 1);
    List<Calibration.Measure> m = Calibration.run(train, new EpochJob(spec, one, plan, 1, 0,
        ps.workers(), runtime.pullDeadlineSeconds(), true, runtime.backend()));
    // the slowest worker sets the pace of a round; steps that never settled (the JIT compiler
    // had not caught up within the budget) leave only the staleness bound to decide
    boolean settled = m.stream().allMatch(Calibration.Measure::settled);
    double step = m.stream().mapToDouble(Calibration.Measure::minibatchSeconds).max().orElse(0);
    double trip = m.stream().mapToDouble(Calibration.Measure::pullSeconds).max().orElse(0);
    LocalSteps k = LocalSteps.choose(settled ? step : 0, trip, smallest, config.batchSize());
    LOG.info(k.explain() + "; measured over " + m.stream().map(x -> x.steps() + " steps")
        .toList() + " per worker" + (settled ? "" : String.format(java.util.Locale.ROOT,
        "; the steps had not settled (%.3f ms, still compiling): the staleness bound decides",
        step * 1e3)));
    if (config.overlap() && k.steps() == 1) {
      LOG.warn("--overlap is ignored: local steps auto chose 1, and overlap needs 2 or more");
    }
    return new Resolved(config.withLocalSteps(k.steps()), true);
  }

  private static int[] given(int[] rows, JavaRDD<? extends Block> train) {
    if (rows.length != train.getNumPartitions()) {
      throw new IllegalArgumentException("the trainer was given the rows of " + rows.length
          + " partitions but the training data has " + train.getNumPartitions() + "; pass one "
          + "count per partition, in partition order");
    }
    return rows;
  }

  /**
   * The mean loss of {@code params} over {@code data} in one Spark job, on the named compute
   * backend; NaN when it is empty.
   */
  double meanLoss(JavaRDD<? extends Block> data, ModelSpec spec, float[] params,
      String backend) {
    Broadcast<float[]> p = sc.broadcast(params);
    try {
      List<double[]> parts = data.map(b -> {
        double mean = new Objective(spec.build(ComputeBackends.byName(backend)), Regularizer.NONE)
            .meanLoss(p.value(), b, 4096);
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
