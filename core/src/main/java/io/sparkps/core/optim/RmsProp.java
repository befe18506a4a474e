package io.sparkps.core.optim;

/**
 * RMSProp (Tieleman and Hinton, "Lecture 6.5 - RMSProp: Divide the gradient by a running
 * average of its recent magnitude", COURSERA: Neural Networks for Machine Learning, 2012), as
 * PyTorch computes it (not centered, no momentum):
 *
 * <pre>
 *   s = rho * s + (1 - rho) * g * g
 *   w = w - lr(t) * g / (sqrt(s) + epsilon)
 * </pre>
 *
 * <p>The running mean of squared gradients {@code s} is state slot 0. {@code rho} is PyTorch's
 * {@code alpha}; the defaults of {@link #of(double)} are PyTorch's (rho 0.99, epsilon 1e-8),
 * where the lecture and Keras use rho 0.9.
 */
public record RmsProp(LearningRateSchedule schedule, double rho, double epsilon)
    implements Optimizer {

  /** PyTorch's default smoothing constant ({@code alpha}). */
  public static final double DEFAULT_RHO = 0.99;
  /** PyTorch's default epsilon for RMSProp. */
  public static final double DEFAULT_EPSILON = 1e-8;

  public RmsProp {
    Checks.schedule(schedule);
    Checks.decay("RmsProp rho", rho, "typical values are 0.9 or 0.99");
    Checks.positive("RmsProp epsilon", epsilon, "it guards the division; use 1e-8");
  }

  /** RMSProp with rho 0.99, epsilon 1e-8 and a constant learning rate. */
  public static RmsProp of(double learningRate) {
    return new RmsProp(
        new LearningRateSchedule.Constant(learningRate), DEFAULT_RHO, DEFAULT_EPSILON);
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    double lr = schedule.rate(step);
    float[] mean = state.slot(0);
    for (int i = from; i < to; i++) {
      double g = gradient[i];
      double s = rho * mean[i] + (1 - rho) * g * g;
      mean[i] = (float) s;
      params[i] = (float) (params[i] - lr * g / (Math.sqrt(s) + epsilon));
    }
  }
}
