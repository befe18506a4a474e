package io.sparkps.core.optim;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), with bias
 * correction, in the form of Algorithm 1 of the paper and of PyTorch:
 *
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   w = w - lr(t) * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 *
 * <p>The first moment {@code m} is state slot 0, the second moment {@code v} slot 1. The moments
 * are stored as floats; each element is updated in double, and the bias corrections are computed
 * once per step in double.
 */
public record Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon)
    implements Optimizer {

  /** Default decay of the first moment, from the paper. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** Default decay of the second moment, from the paper. */
  public static final double DEFAULT_BETA2 = 0.999;
  /** Default epsilon, from the paper. */
  public static final double DEFAULT_EPSILON = 1e-8;

  public Adam {
    validate("Adam", schedule, beta1, beta2, epsilon);
  }

  /** Adam with beta1 0.9, beta2 0.999, epsilon 1e-8 and a constant learning rate. */
  public static Adam of(double learningRate) {
    return of(new LearningRateSchedule.Constant(learningRate));
  }

  /** Adam with beta1 0.9, beta2 0.999 and epsilon 1e-8. */
  public static Adam of(LearningRateSchedule schedule) {
    return new Adam(schedule, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  @Override
  public int stateSlots() {
    return 2;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    update(params, gradient, state, step, schedule.rate(step), beta1, beta2, epsilon, from, to);
  }

  /** The bias-corrected Adam update of {@code [from, to)}, shared with {@link AdamW}. */
  static void update(
      float[] params, float[] gradient, OptimizerState state, long step,
      double lr, double beta1, double beta2, double epsilon, int from, int to) {
    float[] m = state.slot(0);
    float[] v = state.slot(1);
    double stepSize = lr / (1 - Math.pow(beta1, step));
    double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));
    for (int i = from; i < to; i++) {
      double g = gradient[i];
      double mi = beta1 * m[i] + (1 - beta1) * g;
      double vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = (float) mi;
      v[i] = (float) vi;
      double denominator = Math.sqrt(vi) / sqrtCorrection2 + epsilon;
      params[i] = (float) (params[i] - stepSize * mi / denominator);
    }
  }

  /** The checks shared with {@link AdamW}; {@code rule} names the record in messages. */
  static void validate(
      String rule, LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
    Checks.schedule(schedule);
    Checks.decay(rule + " beta1", beta1, "the paper's default is 0.9");
    Checks.decay(rule + " beta2", beta2, "the paper's default is 0.999");
    Checks.positive(rule + " epsilon", epsilon, "it guards the division; use 1e-8");
  }
}
