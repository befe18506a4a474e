package io.sparkps.core.train;

import io.sparkps.core.model.ModelKind;

/**
 * What a run uses when it is given only the model: per model family a batch size and learning
 * rate (Adam, halved at every convergence check), and for every family a maximum of epochs with stopping by
 * convergence. Chosen by measurement on synth-1M and the bundled sample (bench/README.md,
 * "Defaults"); the command line, the YAML job file, the Spark ML estimators and the bench's
 * "defaults" rows all take them from here.
 *
 * @param batchSize rows per minibatch and worker (smaller on small data: {@link #batchSizeFor})
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

  /**
   * The {@code step} schedule halves the rate at most once per this many optimizer steps, so a
   * small data set (a few steps an epoch) trains at a steady rate and stops by convergence.
   */
  public static final long MIN_STEPS_PER_DECAY = 500;
  /** A small data set's batch leaves each worker at least this many minibatches an epoch. */
  public static final int MIN_STEPS_PER_EPOCH = 16;
  /** The smallest batch size the defaults choose. */
  public static final int MIN_BATCH = 8;

  /**
   * The family's batch size for {@code rowsPerWorker} rows a worker: the family's own, or on a
   * small data set a smaller one that leaves {@link #MIN_STEPS_PER_EPOCH} minibatches an epoch
   * (at least {@link #MIN_BATCH} rows).
   */
  public int batchSizeFor(long rowsPerWorker) {
    long small = Math.max(MIN_BATCH, rowsPerWorker / MIN_STEPS_PER_EPOCH);
    return (int) Math.min(batchSize, small);
  }

  /**
   * The family whose defaults a model takes: a dense model's own; the sparse regressions and
   * factorization machines take the linear families' (not yet measured on their own), wide and
   * deep the perceptron's.
   */
  public static ModelKind familyOf(io.sparkps.core.model.ModelSpec spec) {
    if (spec instanceof io.sparkps.core.model.DenseSpec d) {
      return d.kind();
    }
    if (spec instanceof io.sparkps.core.model.WideDeepSpec) {
      return ModelKind.MLP;
    }
    return switch (spec.task()) {
      case REGRESSION -> ModelKind.LINEAR;
      case BINARY -> ModelKind.LOGISTIC;
      case MULTICLASS -> ModelKind.SOFTMAX;
    };
  }

  /** The defaults of a model family. */
  public static TrainingDefaults of(ModelKind kind) {
    return switch (kind) {
      case LINEAR, LOGISTIC, SOFTMAX -> new TrainingDefaults(256, 0.01);
      case MLP -> new TrainingDefaults(128, 0.003);
    };
  }
}
