package io.sparkps.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An update rule: a pure function of (parameters, mean gradient, state, step).
 *
 * <p>Lifecycle: the owner of the parameters (the reference trainer or one parameter-server
 * shard) calls {@link #newState(int)} once for its range of parameters, then for each update
 * {@code t = 1, 2, ...} calls {@link #step(float[], float[], OptimizerState, long)} with the mean
 * gradient of that update. The state holds everything the rule carries between steps, so it can
 * be checkpointed and restored; the optimizer record itself holds only hyper-parameters.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Sgd.class, name = "sgd"),
    @JsonSubTypes.Type(value = Momentum.class, name = "momentum"),
    @JsonSubTypes.Type(value = Nesterov.class, name = "nesterov"),
    @JsonSubTypes.Type(value = AdaGrad.class, name = "adagrad"),
    @JsonSubTypes.Type(value = RmsProp.class, name = "rmsprop"),
    @JsonSubTypes.Type(value = Adam.class, name = "adam"),
    @JsonSubTypes.Type(value = AdamW.class, name = "adamw"),
    @JsonSubTypes.Type(value = Ftrl.class, name = "ftrl")
})
public sealed interface Optimizer extends java.io.Serializable
    permits Sgd, Momentum, Nesterov, AdaGrad, RmsProp, Adam, AdamW, Ftrl {

  /** The learning-rate schedule this rule scales its steps by. */
  LearningRateSchedule schedule();

  /** How many arrays of per-parameter state this rule keeps (0 for SGD, 2 for Adam). */
  int stateSlots();

  /** A fresh, zeroed state for {@code size} parameters. */
  default OptimizerState newState(int size) {
    return OptimizerState.zeros(stateSlots(), size);
  }

  /**
   * Applies update number {@code step} (1-based) in place: {@code params} and {@code state} change,
   * {@code gradient} is read only. All arrays have the same length.
   *
   * @throws IllegalArgumentException if {@code step} is below 1, the lengths differ, or
   *     {@code state} does not have the shape {@link #newState(int)} gives
   */
  default void step(float[] params, float[] gradient, OptimizerState state, long step) {
    step(params, gradient, state, step, 0, params.length);
  }

  /**
   * Applies update number {@code step} to the elements {@code [from, to)} only. Every rule is
   * element-wise, so steps over ranges that cover the arrays once give the same floats, bit for
   * bit, as one {@link #step(float[], float[], OptimizerState, long)}; a parameter server uses
   * this to fold, step and publish a large shard a cache-sized range at a time.
   *
   * @throws IllegalArgumentException as the whole-array step does, or if the range is not within
   *     the arrays
   */
  void step(float[] params, float[] gradient, OptimizerState state, long step, int from, int to);
}
