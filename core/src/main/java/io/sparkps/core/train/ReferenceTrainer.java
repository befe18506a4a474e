package io.sparkps.core.train;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.Objective;
import io.sparkps.core.optim.GradientClipping;
import io.sparkps.core.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The single-process trainer that the distributed one is checked against: minibatch gradient
 * descent over seeded shuffles, with the same {@link Objective}, optimizer functions and early
 * stopping.
 *
 * <p>Each epoch visits the training rows in the order of {@link Shuffle#permutation} seeded by
 * {@link Shuffle#epochSeed}; each minibatch of {@code batchSize} rows (the last may be shorter)
 * yields one optimizer step, numbered from 1 across the run. After each epoch the validation loss
 * decides early stopping; the result holds the best parameters when a validation set was given.
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

  public ReferenceTrainer(Model model, TrainingConfig config) {
    this.model = model;
    this.config = config;
    this.objective = new Objective(model, config.regularizer());
  }

  /** Splits off {@code validationFraction} of {@code data} with the seed, then trains. */
  public Result fit(ExampleBlock data, Consumer<EpochStats> listener) {
    if (config.validationFraction() == 0) {
      return fit(data, null, initialParams(), listener);
    }
    Shuffle.Split split = Shuffle.split(data, config.validationFraction(), config.seed());
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
  public Result fit(ExampleBlock train, ExampleBlock validation, float[] start,
      Consumer<EpochStats> listener) {
    if (train.rows() == 0) {
      throw new IllegalArgumentException("cannot train on an empty dataset");
    }
    float[] params = start.clone();
    float[] grad = new float[params.length];
    OptimizerState state = config.optimizer().newState(params.length);
    Model.Workspace ws = model.newWorkspace(Math.min(config.batchSize(), train.rows()));
    EarlyStopping stopping = new EarlyStopping(config.patience());
    List<EpochStats> history = new ArrayList<>();
    long step = 0;
    boolean stopped = false;
    for (int epoch = 1; epoch <= config.epochs() && !stopped; epoch++) {
      long t0 = System.nanoTime();
      ExampleBlock shuffled = train.select(
          Shuffle.permutation(train.rows(), Shuffle.epochSeed(config.seed(), epoch)));
      double lossSum = 0;
      int batches = 0;
      for (int from = 0; from < shuffled.rows(); from += config.batchSize()) {
        int to = Math.min(shuffled.rows(), from + config.batchSize());
        lossSum += objective.valueAndGradient(params, shuffled, from, to, grad, ws);
        GradientClipping.clipByNorm(grad, config.clipNorm());
        config.optimizer().step(params, grad, state, ++step);
        batches++;
      }
      double valLoss = validation == null || validation.rows() == 0 ? Double.NaN
          : objective.meanLoss(params, validation, EVAL_CHUNK);
      EpochStats stats = new EpochStats(epoch, lossSum / batches, valLoss, step, train.rows(),
          (System.nanoTime() - t0) / 1e9);
      history.add(stats);
      listener.accept(stats);
      stopped = stopping.update(epoch, valLoss, params);
    }
    float[] result = stopping.bestParamsOr(params);
    return new Result(result, List.copyOf(history), stopping.bestEpoch(), stopped);
  }
}
