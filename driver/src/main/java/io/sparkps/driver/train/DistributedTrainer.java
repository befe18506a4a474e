package io.sparkps.driver.train;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Model;
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
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.worker.EpochJob;
import io.sparkps.worker.EpochReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** The outcome: best parameters, per-epoch history, and traffic. */
  public record Result(float[] params, List<EpochStats> history, int bestEpoch,
      boolean stoppedEarly, long rounds, long bytesExchanged, double trainSeconds) {
  }

  private final JavaSparkContext sc;
  private final RuntimeSettings runtime;

  public DistributedTrainer(JavaSparkContext sc, RuntimeSettings runtime) {
    this.sc = sc;
    this.runtime = runtime;
  }

  /**
   * Trains {@code spec} from {@code start} on {@code train} (one cached block per partition);
   * {@code validation} (possibly empty) decides early stopping.
   */
  public Result fit(JavaRDD<ExampleBlock> train, JavaRDD<ExampleBlock> validation,
      ModelSpec spec, TrainingConfig config, float[] start, Consumer<EpochStats> listener) {
    return fit(train, validation, spec, config, start, listener, RoundProgress.NONE);
  }

  /** As {@link #fit}, also reporting rounds within each epoch to {@code progress}. */
  public Result fit(JavaRDD<ExampleBlock> train, JavaRDD<ExampleBlock> validation,
      ModelSpec spec, TrainingConfig config, float[] start, Consumer<EpochStats> listener,
      RoundProgress progress) {
    Model model = spec.build();
    int[] rows = train.map(ExampleBlock::rows).collect().stream().mapToInt(Integer::intValue)
        .toArray();
    EpochPlan plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    long total = java.util.Arrays.stream(rows).asLongStream().sum();
    ConsistencyMode mode = RuntimeSettings.mode(runtime.sync());
    String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
    try (ParameterServerSession ps = ParameterServerSession.open(runtime, host)) {
      ps.admin().init(new JobSpec(model.parameterCount(), config.optimizer(),
          new InitialValues.Values(start.clone()), rows.length, mode));
      EarlyStopping stopping = new EarlyStopping(config.patience());
      List<EpochStats> history = new ArrayList<>();
      long bytes = 0;
      long t0 = System.nanoTime();
      float[] params = start;
      boolean stopped = false;
      for (int epoch = 1; epoch <= config.epochs() && !stopped; epoch++) {
        long e0 = System.nanoTime();
        long firstRound = (long) (epoch - 1) * plan.rounds();
        EpochJob job = new EpochJob(spec, config, plan, epoch, firstRound, ps.addresses(),
            ps.token(), runtime.pullDeadlineSeconds(), mode instanceof ConsistencyMode.Sync,
            runtime.backend());
        List<EpochReport> reports;
        try (RoundPoller poller = new RoundPoller(ps.admin(), progress, epoch, config.epochs(),
            firstRound, plan.rounds())) {
          reports = BarrierEpoch.run(train, job);
        }
        ps.admin().awaitRound(firstRound + plan.rounds(),
            Duration.ofSeconds(runtime.pullDeadlineSeconds()));
        params = ps.admin().snapshot().values();
        double lossSum = reports.stream().mapToDouble(EpochReport::lossSum).sum();
        bytes += reports.stream().mapToLong(EpochReport::bytesExchanged).sum();
        if (runtime.checkpointDir().isPresent()) {
          ps.admin().checkpoint();
        }
        double valLoss = meanLoss(validation, spec, params);
        EpochStats stats = new EpochStats(epoch, lossSum / total, valLoss,
            (long) epoch * plan.rounds(), total, (System.nanoTime() - e0) / 1e9);
        history.add(stats);
        listener.accept(stats);
        stopped = stopping.update(epoch, valLoss, params);
      }
      return new Result(stopping.bestParamsOr(params), List.copyOf(history),
          stopping.bestEpoch(), stopped, (long) history.size() * plan.rounds(), bytes,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /** The mean loss of {@code params} over {@code data} in one Spark job; NaN when it is empty. */
  double meanLoss(JavaRDD<ExampleBlock> data, ModelSpec spec, float[] params) {
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
