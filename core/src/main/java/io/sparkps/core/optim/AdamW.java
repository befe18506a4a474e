package io.sparkps.core.optim;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), as PyTorch's {@code AdamW} computes it: first every parameter
 * shrinks, then the {@link Adam} step (with bias correction) is applied to the result.
 *
 * <pre>
 *   w = w - lr(t) * weightDecay * w
 *   w = w - lr(t) * mHat / (sqrt(vHat) + epsilon)      (the Adam step)
 * </pre>
 *
 * <p>The decay is applied to all parameters, biases included, and does not pass through the
 * moments. As in PyTorch, it is scaled by the scheduled rate {@code lr(t)}; the paper scales it
 * by the schedule multiplier only. State slots are those of {@link Adam}.
 */
public record AdamW(
    LearningRateSchedule schedule, double beta1, double beta2, double epsilon, double weightDecay)
    implements Optimizer {

  /** PyTorch's default weight decay for AdamW. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;

  public AdamW {
    Adam.validate("AdamW", schedule, beta1, beta2, epsilon);
    Checks.nonNegative("AdamW weightDecay", weightDecay,
        "typical values are 0.01 to 0.1 (0 is plain Adam)");
  }

  /** AdamW with beta1 0.9, beta2 0.999, epsilon 1e-8, weight decay 0.01, a constant rate. */
  public static AdamW of(double learningRate) {
    return of(new LearningRateSchedule.Constant(learningRate));
  }

  /** AdamW with beta1 0.9, beta2 0.999, epsilon 1e-8 and weight decay 0.01. */
  public static AdamW of(LearningRateSchedule schedule) {
    return new AdamW(schedule, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON,
        DEFAULT_WEIGHT_DECAY);
  }

  @Override
  public int stateSlots() {
    return 2;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    double lr = schedule.rate(step);
    double keep = 1 - lr * weightDecay;
    for (int i = from; i < to; i++) {
      params[i] = (float) (params[i] * keep);
    }
    Adam.update(params, gradient, state, step, lr, beta1, beta2, epsilon, from, to);
  }
}
