package io.sparkps.driver.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EarlyStopping;
import io.sparkps.core.train.EpochPlan;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.ps.api.ConsistencyMode;
import io.sparkps.ps.api.InitialValues;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.api.RoundStats;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The mutable state of one {@link DistributedTrainer} run against one parameter-server session.
 * An epoch runs as one barrier stage, or, when it has more than {@code checkRows} training rows,
 * as several stages of consecutive rounds with a convergence check after each: a long epoch does
 * not run to its end to learn that the loss stopped improving. A check uses the validation loss
 * (the run keeps the best check's parameters), or without validation rows the training loss of
 * the rounds since the last check (the run keeps its last parameters: that loss was measured
 * while they moved).
 */
final class TrainingRun {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      DistributedTrainer.class);

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;
  private final ParameterServerSession ps;
  private final JavaRDD<Block> train;
  private final JavaRDD<Block> validation;
  private final ModelSpec spec;
  private final TrainingConfig config;
  private final EpochPlan plan;
  private final EpochObserver listener;
  private final RoundProgress progress;
  private final DistributedTrainer trainer;
  private final ConsistencyMode mode;
  private final Optional<RunCheckpoint> checkpoint;
  private final EarlyStopping stopping;
  private final List<EpochStats> history = new ArrayList<>();
  private final long total;
  private final long t0 = System.nanoTime();
  private float[] params;
  private long bytes;
  private long bytesAtEpochStart;
  private final java.util.Set<Long> stageStarts = new java.util.HashSet<>();
  private final List<Long> epochBytes = new ArrayList<>();
  private long rounds;
  private double computeSeconds;
  private boolean stopped;
  /** Whether there are validation rows; counted once, on first use. */
  private Boolean hasValidation;

  TrainingRun(JavaSparkContext sc, RuntimeSettings runtime, ParameterServerSession ps,
      Optional<RunCheckpoint> checkpoint, JavaRDD<Block> train, JavaRDD<Block> validation,
      ModelSpec spec,
      TrainingConfig config, int[] rows, EpochObserver listener, RoundProgress progress,
      DistributedTrainer trainer) {
    this.sc = sc;
    this.runtime = runtime;
    this.ps = ps;
    this.train = train;
    this.validation = validation;
    this.spec = spec;
    this.config = config;
    this.plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    this.listener = listener;
    this.progress = progress;
    this.trainer = trainer;
    this.mode = RuntimeSettings.mode(runtime.sync());
    this.checkpoint = checkpoint;
    this.stopping = new EarlyStopping(config.patience(), config.tol());
    this.total = java.util.Arrays.stream(plan.partitionRows()).asLongStream().sum();
  }

  /** Sets the validation rows' count the loader reported, sparing the job that counts them. */
  void knownValidationRows(long n) {
    hasValidation = n > 0;
  }

  boolean stopped() {
    return stopped;
  }

  /** Initializes the job on the server (unless "auto" local steps did so already). */
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
    rounds = version;
    if (done > r.state().epoch()) {
      // the server checkpointed an epoch whose end the driver did not record: record it now
      endEpoch(done, new EpochStats(done, Double.NaN, Double.NaN, version, total, 0), false,
          Double.NaN, Optional.empty());
    }
    return done;
  }

  /** The epoch's parts: one, or one per {@code checkRows} rows, at most one per round. */
  int parts() {
    return Math.min(plan.rounds(), config.checksPerEpoch(total));
  }

  /** Runs {@code epoch}; {@code whileStarting} runs while Spark launches its first tasks. */
  void epoch(int epoch, Runnable whileStarting) {
    long e0 = System.nanoTime();
    long firstRound = (long) (epoch - 1) * plan.rounds();
    bytesAtEpochStart = bytes;
    int parts = parts();
    double lossSum = 0;
    long examples = 0;
    double partLoss = Double.NaN;
    Optional<PartStage> last = Optional.empty();
    for (int i = 0; i < parts; i++) {
      int from = (int) ((long) plan.rounds() * i / parts);
      int to = (int) ((long) plan.rounds() * (i + 1) / parts);
      PartStage part = stage(epoch, firstRound, from, to, i == parts - 1,
          i == 0 ? whileStarting : () -> { });
      List<EpochReport> reports = part.reports();
      last = Optional.of(part);
      double partSum = reports.stream().mapToDouble(EpochReport::lossSum).sum();
      long partRows = reports.stream().mapToLong(EpochReport::examples).sum();
      lossSum += partSum;
      examples += partRows;
      partLoss = partRows == 0 ? Double.NaN : partSum / partRows;
      if (i < parts - 1 && check(epoch, i + 1, parts, partLoss, part.validationLoss())) {
        // converged within the epoch: the epoch ends here, with the rows it has seen
        EpochStats stats = new EpochStats(epoch, lossSum / Math.max(1, examples),
            lastCheckLoss, rounds, examples, (System.nanoTime() - e0) / 1e9);
        history.add(stats);
        epochBytes.add(bytes - bytesAtEpochStart);
        listener.epochEnded(stats, params);
        return;
      }
    }
    endEpoch(epoch, new EpochStats(epoch, lossSum / total, Double.NaN, rounds, total,
        (System.nanoTime() - e0) / 1e9), true, partLoss, last);
  }

  private double lastCheckLoss = Double.NaN;

  /** A check after part {@code part} of {@code parts}; returns whether training stops. */
  private boolean check(int epoch, int part, int parts, double trainLoss,
      java.util.OptionalDouble scored) {
    double loss = !validates() ? trainLoss : scored.isPresent() ? scored.getAsDouble()
        : trainer.meanLoss(validation, spec, params, runtime.backend());
    lastCheckLoss = validates() ? loss : Double.NaN;
    stopped = stopping.update(epoch, loss, params);
    LOG.info(String.format(Locale.ROOT, "epoch %d, part %d of %d: %s loss %.6f%s", epoch, part,
        parts, validates() ? "validation" : "training", loss, stopped ? "; converged" : ""));
    return stopped;
  }

  private boolean validates() {
    if (hasValidation == null) {
      hasValidation = validation.getNumPartitions() > 0
          && validation.map(Block::rows).fold(0, Integer::sum) > 0;
    }
    return hasValidation;
  }

  /**
   * One barrier stage over rounds {@code [from, to)} of the epoch: the workers' reports, and
   * where the run scores in its stages ({@link PartStage}) the validation loss of the part's
   * final parameters, with their metrics when the part ends the epoch ({@code endsEpoch}).
   */
  private PartStage stage(int epoch, long firstRound, int from, int to, boolean endsEpoch,
      Runnable whileStarting) {
    long s0 = System.nanoTime();
    stageStarts.add(firstRound + from);
    EpochJob job = new EpochJob(spec, config, plan, epoch, firstRound, ps.workers(),
        runtime.pullDeadlineSeconds(), mode instanceof ConsistencyMode.Sync,
        runtime.backend(), from, to);
    PartStage part;
    try (RoundPoller poller = new RoundPoller(ps.admin(), progress, epoch, config.epochs(),
        firstRound, plan.rounds())) {
      part = PartStage.scoresInStage(mode instanceof ConsistencyMode.Sync, validates(), train,
          validation) ? PartStage.scored(train, validation, job, endsEpoch, whileStarting)
          : PartStage.plain(train, job, whileStarting);
    }
    List<EpochReport> reports = part.reports();
    double stage = (System.nanoTime() - s0) / 1e9;
    ps.admin().awaitRound(firstRound + to, Duration.ofSeconds(runtime.pullDeadlineSeconds()));
    params = ps.admin().snapshot().values();
    rounds += to - from;
    if (LOG.isInfoEnabled()) {
      LOG.info(String.format(Locale.ROOT, "epoch %d: rounds %d to %d, stage %.3f s; per "
          + "partition set-up %s s, compute %s s, waiting on the server %s s", epoch, from,
          to - 1, stage, seconds(reports, EpochReport::setupSeconds),
          seconds(reports, EpochReport::computeSeconds),
          seconds(reports, EpochReport::waitSeconds)));
    }
    bytes += reports.stream().mapToLong(EpochReport::bytesExchanged).sum();
    computeSeconds += reports.stream().mapToDouble(EpochReport::computeSeconds).max().orElse(0);
    return part;
  }

  /**
   * Validation, the convergence check and the checkpoint of an epoch the server has completed;
   * {@code trainLoss} is the training loss of its last part (the check's loss without
   * validation), {@code last} that part's stage (its validation metrics and loss, when scored
   * there).
   */
  private void endEpoch(int epoch, EpochStats partial, boolean serverCheckpoint,
      double trainLoss, Optional<PartStage> last) {
    Optional<PartStage> scored = last.filter(p -> p.metrics().isPresent());
    java.util.Map<String, Double> metrics = !validates() ? java.util.Map.of()
        : scored.isPresent() ? scored.get().metrics().get()
        : io.sparkps.driver.data.SparkEvaluation.evaluate(validation, spec, params,
            runtime.backend());
    // a classifier's loss is the log loss its metrics hold: one pass over the rows, not two
    double valLoss = !validates() ? Double.NaN : metrics.containsKey("logLoss")
        ? metrics.get("logLoss") : scored.isPresent()
        ? scored.get().validationLoss().getAsDouble()
        : trainer.meanLoss(validation, spec, params, runtime.backend());
    EpochStats stats = new EpochStats(epoch, partial.trainLoss(), valLoss, partial.updates(),
        partial.rows(), partial.seconds(), metrics);
    history.add(stats);
    if (serverCheckpoint) {
      epochBytes.add(bytes - bytesAtEpochStart);
    }
    stopped = stopping.update(epoch, validates() ? valLoss : trainLoss, params);
    if (checkpoint.isPresent()) {
      if (serverCheckpoint) {
        ps.admin().checkpoint();
      }
      EarlyStopping.State st = stopping.state();
      checkpoint.get().write(new RunCheckpoint.State(epoch, List.copyOf(history),
          st.bestLoss(), st.bestEpoch(), st.sinceBest(), st.reference(), config.localSteps()),
          st);
    }
    listener.epochEnded(stats, params);
  }

  DistributedTrainer.Result result() {
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<RoundStats> roundStats = ps.admin().history(0);
    long duplicates = roundStats.stream().mapToLong(RoundStats::duplicates).sum();
    long irregular = mode instanceof ConsistencyMode.Sync
        ? roundStats.stream().filter(x -> x.pushes() != plan.partitions()).count() : 0;
    // with validation rows the best check's parameters; without, the last ones (the training
    // loss is measured while the parameters move, so it only decides when to stop)
    boolean best = validates();
    int lastEpoch = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    return new DistributedTrainer.Result(best ? stopping.bestParamsOr(params) : params,
        List.copyOf(history), best ? stopping.bestEpoch() : lastEpoch, stopped, rounds, bytes,
        seconds, duplicates, irregular, computeSeconds, stopReason(), config.localSteps(),
        RoundTimes.of(roundStats, stageStarts, epochBytes));
  }

  /** Why the run ended, in a sentence for metrics.json and the console. */
  private String stopReason() {
    String loss = validates() ? "validation" : "training";
    if (stopped) {
      return String.format(Locale.ROOT, "converged: the %s loss did not improve by a relative "
          + "%s (--tol) in %d check%s after its best, %.6f in epoch %d, %s", loss, config.tol(),
          config.patience(), config.patience() == 1 ? "" : "s", stopping.bestLoss(),
          stopping.bestEpoch(), validates() ? "whose parameters are kept"
              : "and the last parameters are kept (without validation rows)");
    }
    return "reached the maximum of " + config.epochs() + " epochs (--epochs)"
        + (config.patience() == 0 ? "; convergence stopping is off (--patience 0)"
            : "; the " + loss + " loss was still improving by more than --tol "
                + config.tol());
  }

  private static List<String> seconds(List<EpochReport> reports,
      java.util.function.ToDoubleFunction<EpochReport> f) {
    return reports.stream().map(r -> String.format(Locale.ROOT, "%.3f",
        f.applyAsDouble(r))).toList();
  }
}
