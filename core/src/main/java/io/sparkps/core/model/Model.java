package io.sparkps.core.model;

import io.sparkps.core.data.Block;

/**
 * A trainable model over a flat parameter vector: what every model family implements, dense
 * ({@link DenseModel}) or sparse ({@link SparseModel}). The parameter server sees only floats;
 * the model says how many there are, how they start, and how a block of rows turns them into a
 * loss, a gradient and predictions.
 *
 * <p>Lifecycle: build from a {@link ModelSpec}; {@link #initialize} a vector of
 * {@link #parameterCount()} floats; per minibatch, zero a gradient buffer, call
 * {@link #lossAndGradient} (which adds the summed, unscaled gradient of the rows) and then
 * {@link #finishGradient} (which scales it to the mean and adds the regularizer's gradient);
 * {@link #predict} scores rows. {@link Objective} runs that sequence. A model holds no parameters
 * and no mutable state, so one instance serves every thread; per-thread scratch memory lives in
 * a {@link Workspace} from {@link #newWorkspace}.
 */
public sealed interface Model permits DenseModel, SparseModel {

  /** The descriptor this model was built from. */
  ModelSpec spec();

  /** Number of floats in the parameter vector. */
  int parameterCount();

  /** Output scores per row: 1 for regression and binary, the class count for multiclass. */
  int outputs();

  /** Writes the seeded initial parameters into {@code params} (all of it). */
  void initialize(float[] params, long seed);

  /** Sets the bias of every output score to {@code value} (a regression's starting mean). */
  void setOutputBias(float[] params, float value);

  /** Scratch buffers for up to {@code maxRows} rows at a time; one per thread. */
  Workspace newWorkspace(int maxRows);

  /**
   * Adds the summed gradient of the loss over rows {@code [from, to)} of {@code block} to
   * {@code grad} and returns the summed loss. No regularization and no scaling: see
   * {@link #finishGradient}.
   */
  double lossAndGradient(float[] params, Block block, int from, int to, float[] grad,
      Workspace ws);

  /**
   * Completes the gradient that the last {@link #lossAndGradient} on {@code ws} left in
   * {@code grad}: multiplies it by {@code factor} (1 / rows, for the mean) and adds the gradient
   * of {@code regularizer}; returns the penalty. Dense models do this over the whole vector;
   * sparse models only over the rows of the keys the minibatch touched (lazy regularization).
   */
  double finishGradient(float[] params, float[] grad, float factor, Regularizer regularizer,
      Workspace ws);

  /** The summed loss over rows {@code [from, to)}: a forward pass only. */
  double loss(float[] params, Block block, int from, int to, Workspace ws);

  /**
   * Writes predictions for rows {@code [from, to)} to {@code out}, {@link #outputs()} per row:
   * the value (regression), P(y = 1) (binary) or class probabilities (multiclass).
   */
  void predict(float[] params, Block block, int from, int to, float[] out, Workspace ws);

  /** Per-thread scratch memory of one model; only the model that made it reads it. */
  interface Workspace {
  }
}
