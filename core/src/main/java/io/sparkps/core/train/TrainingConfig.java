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
 * @param patience stop after this many convergence checks in a row without a relative
 *     improvement of {@code tol} (see {@link EarlyStopping}); 0 never stops early
 * @param localSteps optimizer steps each worker takes on its own between two averagings; 1 means
 *     workers push gradients and the optimizer runs once per round on the averaged gradient,
 *     more means workers push parameter deltas (parameter averaging); {@value #AUTO_LOCAL_STEPS}
 *     means "auto": the distributed trainer picks it by measurement ({@link LocalSteps})
 * @param overlap with local steps only: each worker starts round {@code r + 1} before the average
 *     of round {@code r} has come back, from the average of round {@code r - 1} plus its own delta
 *     of round {@code r}, so the round trip and the wait for the slowest worker overlap the next
 *     round's compute (the deltas are one round stale; with one worker the result is that of no
 *     overlap; see {@link Overlap})
 * @param tol the relative improvement of the checked loss that counts as progress (MLlib's name):
 *     a check improves when its loss is below {@code (1 - tol)} times the loss of the last check
 *     that improved; 0 counts any decrease
 * @param checkRows the convergence check runs at the end of every epoch and, in epochs of more
 *     than this many training rows, also after every part of about this many rows; 0 checks only
 *     at the ends of epochs
 */
public record TrainingConfig(int epochs, int batchSize, Optimizer optimizer,
    Regularizer regularizer, double clipNorm, long seed, double validationFraction,
    int patience, int localSteps, boolean overlap, double tol, long checkRows)
    implements java.io.Serializable {

  /** The value of {@code localSteps} that asks the trainer to choose it ({@link LocalSteps}). */
  public static final int AUTO_LOCAL_STEPS = 0;

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
    if (localSteps < 0) {
      throw new IllegalArgumentException("localSteps must be at least 1, or "
          + AUTO_LOCAL_STEPS + " for auto, got " + localSteps);
    }
    if (!(tol >= 0 && tol < 1)) {
      throw new IllegalArgumentException("tol must be in [0, 1) (a relative improvement such as "
          + "0.001), got " + tol);
    }
    if (checkRows < 0) {
      throw new IllegalArgumentException("checkRows must be 0 (only at the ends of epochs) or "
          + "positive, got " + checkRows);
    }
    if (overlap && localSteps == 1) {
      throw new IllegalArgumentException("overlap needs local steps (localSteps 2 or more): "
          + "with one local step the workers push gradients, which the server's optimizer must "
          + "apply before the next round can start");
    }
  }

  /** Any decrease counts as progress, checked at the ends of epochs only. */
  public TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Regularizer regularizer,
      double clipNorm, long seed, double validationFraction, int patience, int localSteps,
      boolean overlap) {
    this(epochs, batchSize, optimizer, regularizer, clipNorm, seed, validationFraction, patience,
        localSteps, overlap, 0, 0);
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
        validationFraction, patience, localSteps, overlap, tol, checkRows);
  }

  /** This configuration with {@code localSteps} set (as the trainer resolves "auto"). */
  public TrainingConfig withLocalSteps(int localSteps) {
    return new TrainingConfig(epochs, batchSize, optimizer, regularizer, clipNorm, seed,
        validationFraction, patience, localSteps, overlap && localSteps != 1, tol, checkRows);
  }

  /** This configuration with convergence checks: {@code tol} and {@code checkRows}. */
  public TrainingConfig withConvergence(double tol, long checkRows) {
    return new TrainingConfig(epochs, batchSize, optimizer, regularizer, clipNorm, seed,
        validationFraction, patience, localSteps, overlap, tol, checkRows);
  }

  /**
   * Convergence checks in an epoch of {@code trainRows} rows: one, or one per {@code checkRows}
   * rows in longer epochs (the trainer checks at most once per round).
   */
  public int checksPerEpoch(long trainRows) {
    if (checkRows <= 0 || trainRows <= checkRows) {
      return 1;
    }
    return (int) Math.min(Integer.MAX_VALUE, (trainRows + checkRows - 1) / checkRows);
  }

  /** Whether the trainer chooses the local steps ({@link LocalSteps}). */
  public boolean autoLocalSteps() {
    return localSteps == AUTO_LOCAL_STEPS;
  }

  /** A configuration with one local step: workers push gradients every round. */
  public TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Regularizer regularizer,
      double clipNorm, long seed, double validationFraction, int patience) {
    this(epochs, batchSize, optimizer, regularizer, clipNorm, seed, validationFraction, patience,
        1);
  }
}
