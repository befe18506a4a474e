package io.sparkps.core.optim;

/**
 * SGD with Nesterov momentum (Nesterov 1983; as used for deep learning by Sutskever, Martens,
 * Dahl and Hinton, "On the importance of initialization and momentum in deep learning", ICML
 * 2013), in the PyTorch formulation that needs the gradient at the current parameters only
 * (Bengio, Boulanger-Lewandowski and Pascanu, "Advances in optimizing recurrent networks",
 * 2013):
 *
 * <pre>
 *   v = momentum * v + g
 *   w = w - lr(t) * (g + momentum * v)
 * </pre>
 *
 * <p>The velocity {@code v} is state slot 0, as in {@link Momentum}.
 */
public record Nesterov(LearningRateSchedule schedule, double momentum) implements Optimizer {

  public Nesterov {
    Checks.schedule(schedule);
    Checks.decay("Nesterov momentum", momentum,
        "typical values are 0.9 or 0.99 (0 is plain SGD)");
  }

  /** Nesterov momentum 0.9 with a constant learning rate. */
  public static Nesterov of(double learningRate) {
    return new Nesterov(
        new LearningRateSchedule.Constant(learningRate), Momentum.DEFAULT_MOMENTUM);
  }

  @Override
  public int stateSlots() {
    return 1;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    float lr = (float) schedule.rate(step);
    float mu = (float) momentum;
    float[] v = state.slot(0);
    for (int i = from; i < to; i++) {
      float g = gradient[i];
      v[i] = mu * v[i] + g;
      params[i] -= lr * (g + mu * v[i]);
    }
  }
}
