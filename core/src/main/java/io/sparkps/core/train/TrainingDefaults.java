package io.sparkps.core.train;

import io.sparkps.core.model.ModelKind;

/**
 * What a run uses when it is given only the model: per model family a batch size and learning
 * rate (Adam, halved at every convergence check), and for every family a maximum of epochs with stopping by
 * convergence. Chosen by measurement on synth-1M and the bundled sample (bench/README.md,
 * "Defaults"); the command line, the YAML job file, the Spark ML estimators and the bench's
 * "defaults" rows all take them from here.
 *
 * @param batchSize rows per minibatch and worker
 * @param learningRate Adam's rate for the first epoch
 */
public record TrainingDefaults(int batchSize, double learningRate) {

  /** The most epochs a run takes; convergence usually stops it sooner. */
  public static final int MAX_EPOCHS = 20;
  /** Checks without a relative improvement of {@link #TOL} before stopping. */
  public static final int PATIENCE = 2;
  /** The relative improvement of the checked loss that counts as progress. */
  public static final double TOL = 1e-3;
  /** Epochs of more rows than this are also checked after every part of about this many. */
  public static final long CHECK_ROWS = 250_000;
  /**
   * The {@code step} schedule's factor per convergence check (an epoch, or a part of about
   * {@link #CHECK_ROWS} rows of a longer one): the rate halves, so the loss's progress between
   * checks slows as the noise of the steps shrinks, and a check that no longer improves by
   * {@link #TOL} means the run has converged rather than hit its noise floor.
   */
  public static final double DECAY_PER_CHECK = 0.5;

  /** The defaults of a model family. */
  public static TrainingDefaults of(ModelKind kind) {
    return switch (kind) {
      case LINEAR, LOGISTIC, SOFTMAX -> new TrainingDefaults(256, 0.01);
      case MLP -> new TrainingDefaults(128, 0.003);
    };
  }
}
