package io.sparkps.ps.api;

/** What the floats of a push mean. */
public enum PayloadKind {
  /** A gradient of the loss: the server averages and applies the optimizer step. */
  GRADIENT,
  /**
   * A parameter delta after K local steps (parameter averaging, McDonald et al. 2010, "Distributed
   * Training Strategies for the Structured Perceptron"): the server adds the weighted mean delta
   * to the parameters, with no optimizer step of its own.
   */
  DELTA
}
