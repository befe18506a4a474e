package io.sparkps.core.train;

import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Optimizer;

/**
 * Algorithm settings of a training run (runtime settings such as workers and ports live
 * elsewhere). Validated when built.
 *
 * @param epochs passes over the training data, at least 1
 * @param batchSize examples per update, at least 1
 * @param optimizer the update rule and its learning-rate schedule
 * @param regularizer penalty on the weights
 * @param clipNorm clip each mean gradient to this L2 norm; 0 turns clipping off
 * @param seed seeds initialization, shuffling and the validation split
 * @param validationFraction share of rows held out for validation and early stopping, in [0, 1)
 * @param patience stop after this many epochs without a better validation loss; 0 never stops early
 * @param localSteps optimizer steps each worker takes on its own between two averagings; 1 means
 *     workers push gradients and the optimizer runs once per round on the averaged gradient,
 *     more means workers push parameter deltas (parameter averaging)
 * @param overlap with local steps only: each worker starts round {@code r + 1} before the average
 *     of round {@code r} has come back, from the average of round {@code r - 1} plus its own delta
 *     of round {@code r}, so the round trip and the wait for the slowest worker overlap the next
 *     round's compute (the deltas are one round stale; with one worker the result is that of no
 *     overlap; see {@link Overlap})
 */
public record TrainingConfig(int epochs, int batchSize, Optimizer optimizer,
    Regularizer regularizer, double clipNorm, long seed, double validationFraction,
    int patience, int localSteps, boolean overlap) implements java.io.Serializable {

  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (!(clipNorm >= 0)) {
      throw new IllegalArgumentException("clipNorm must be 0 (off) or positive, got " + clipNorm);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1), got "
          + validationFraction);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be 0 (off) or positive, got " + patience);
    }
    if (localSteps < 1) {
      throw new IllegalArgumentException("localSteps must be at least 1, got " + localSteps);
    }
    if (overlap && localSteps == 1) {
      throw new IllegalArgumentException("overlap needs local steps (localSteps 2 or more): "
          + "with one local step the workers push gradients, which the server's optimizer must "
          + "apply before the next round can start");
    }
  }

  /** Without overlap. */
  public TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Regularizer regularizer,
      double clipNorm, long seed, double validationFraction, int patience, int localSteps) {
    this(epochs, batchSize, optimizer, regularizer, clipNorm, seed, validationFraction, patience,
        localSteps, false);
  }

  /** This configuration with {@code overlap} set. */
  public TrainingConfig withOverlap(boolean overlap) {
    return new TrainingConfig(epochs, batchSize, optimizer, regularizer, clipNorm, seed,
        validationFraction, patience, localSteps, overlap);
  }

  /** A configuration with one local step: workers push gradients every round. */
  public TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Regularizer regularizer,
      double clipNorm, long seed, double validationFraction, int patience) {
    this(epochs, batchSize, optimizer, regularizer, clipNorm, seed, validationFraction, patience,
        1);
  }
}
