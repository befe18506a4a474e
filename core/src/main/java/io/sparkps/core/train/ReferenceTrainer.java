package io.sparkps.core.train;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The single-process trainer that the distributed one is checked against: minibatch gradient
 * descent over seeded shuffles, with the same {@link Objective}, optimizer functions and early
 * stopping, and the same cut of epochs into rounds ({@link EpochPlan}) and per-partition work
 * ({@link PartitionWorker}) as the Spark workers.
 *
 * <p>Each epoch shuffles every partition with {@link PartitionWorker#shuffle} and runs
 * {@code plan.rounds()} rounds; each round yields one optimizer step on the averaged gradient
 * (numbered from 1 across the run), or, with local steps, adds the averaged parameter delta.
 * After each epoch the validation loss decides early stopping; the result holds the best
 * parameters when a validation set was given.
 */
public final class ReferenceTrainer {
  private static final int EVAL_CHUNK = 4096;

  /** The parameters a run ends with, its history and where it stopped. */
  public record Result(float[] params, List<EpochStats> history, int bestEpoch,
      boolean stoppedEarly) {
  }

  private final Model model;
  private final TrainingConfig config;
  private final Objective objective;

  /** A trainer; "auto" local steps become 1 (in one process there is no round trip to hide). */
  public ReferenceTrainer(Model model, TrainingConfig config) {
    this.model = model;
    this.config = config.autoLocalSteps() ? config.withLocalSteps(1) : config;
    this.objective = new Objective(model, this.config.regularizer());
  }

  /** Splits off {@code validationFraction} of {@code data} with the seed, then trains. */
  public Result fit(Block data, Consumer<EpochStats> listener) {
    if (config.validationFraction() == 0) {
      return fit(data, null, initialParams(), listener);
    }
    Shuffle.Split<Block> split = Shuffle.split(data, config.validationFraction(), config.seed());
    return fit(split.train(), split.validation(), initialParams(), listener);
  }

  /** A freshly initialized parameter vector for this model and seed. */
  public float[] initialParams() {
    float[] p = new float[model.parameterCount()];
    model.initialize(p, config.seed());
    return p;
  }

  /**
   * Trains from {@code start} (not modified) on {@code train}; {@code validation} may be null,
   * which turns early stopping off.
   */
  public Result fit(Block train, Block validation, float[] start,
      Consumer<EpochStats> listener) {
    return fit(List.of(train), validation, start, listener);
  }

  /**
   * Trains on rows split over {@code partitions} exactly as the distributed trainer does: each
   * round, every partition contributes its gradient (or local-step delta) and the contributions
   * are averaged, weighted by their example counts, in partition order.
   */
  public Result fit(List<? extends Block> partitions, Block validation, float[] start,
      Consumer<EpochStats> listener) {
    int[] rows = partitions.stream().mapToInt(Block::rows).toArray();
    if (java.util.Arrays.stream(rows).asLongStream().sum() == 0) {
      throw new IllegalArgumentException("cannot train on an empty dataset");
    }
    EpochPlan plan = EpochPlan.of(rows, config.batchSize(), config.localSteps());
    float[] params = start.clone();
    OptimizerState state = config.optimizer().newState(params.length);
    EarlyStopping stopping = new EarlyStopping(config.patience(), config.tol());
    List<EpochStats> history = new ArrayList<>();
    long step = 0;
    boolean stopped = false;
    for (int epoch = 1; epoch <= config.epochs() && !stopped; epoch++) {
      long t0 = System.nanoTime();
      double lossSum = runEpoch(partitions, plan, epoch, params, state, step);
      step += plan.rounds();
      double valLoss = validation == null || validation.rows() == 0 ? Double.NaN
          : objective.meanLoss(params, validation, EVAL_CHUNK);
      long total = java.util.Arrays.stream(rows).asLongStream().sum();
      EpochStats stats = new EpochStats(epoch, lossSum / total, valLoss, step, total,
          (System.nanoTime() - t0) / 1e9);
      history.add(stats);
      listener.accept(stats);
      stopped = stopping.update(epoch, valLoss, params);
    }
    return new Result(stopping.bestParamsOr(params), List.copyOf(history),
        stopping.bestEpoch(), stopped);
  }

  /** One epoch of rounds; updates {@code params} in place and returns the summed loss. */
  private double runEpoch(List<? extends Block> partitions, EpochPlan plan, int epoch,
      float[] params, OptimizerState state, long stepBefore) {
    int n = partitions.size();
    List<PartitionWorker> workers = new ArrayList<>(n);
    List<Block> shuffled = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      workers.add(new PartitionWorker(model, config, plan, p, epoch));
      shuffled.add(PartitionWorker.shuffle(partitions.get(p), config.seed(), epoch, p));
    }
    float[][] payloads = new float[n][params.length];
    double[] sum = new double[params.length];
    float[] mean = new float[params.length];
    // with overlap, where each partition starts its round: the parameters of the round before
    // plus its own delta of that round (see Overlap)
    float[][] starts = config.overlap() ? new float[n][] : null;
    for (int p = 0; starts != null && p < n; p++) {
      starts[p] = params.clone();
    }
    double lossSum = 0;
    for (int r = 0; r < plan.rounds(); r++) {
      java.util.Arrays.fill(sum, 0);
      long examples = 0;
      for (int p = 0; p < n; p++) {
        float[] from = starts != null ? starts[p] : params;
        PartitionWorker.Contribution c = workers.get(p).round(from, shuffled.get(p), r,
            payloads[p]);
        if (starts != null) {
          Overlap.nextStart(params, payloads[p], starts[p]);
        }
        examples += c.examples();
        lossSum += c.lossSum();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += (double) c.examples() * payloads[p][i];
        }
      }
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] / Math.max(1, examples));
      }
      if (config.localSteps() == 1) {
        config.optimizer().step(params, mean, state, stepBefore + r + 1);
      } else {
        for (int i = 0; i < params.length; i++) {
          params[i] += mean[i];
        }
      }
    }
    return lossSum;
  }
}
