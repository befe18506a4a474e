package io.sparkps.core.optim;

/**
 * SGD with heavy-ball momentum (Polyak, "Some methods of speeding up the convergence of
 * iteration methods", 1964), in the PyTorch convention without dampening:
 *
 * <pre>
 *   v = momentum * v + g
 *   w = w - lr(t) * v
 * </pre>
 *
 * <p>The velocity {@code v} (state slot 0) accumulates raw gradients, and the learning rate
 * scales it when it is applied. With a constant rate this equals the classical form {@code v' =
 * momentum * v' - lr * g; w += v'} (with {@code v' = -lr * v}); when the schedule changes the
 * rate, the PyTorch form applies the new rate to the whole velocity at once.
 */
public record Momentum(LearningRateSchedule schedule, double momentum) implements Optimizer {

  /** The default momentum coefficient, as is usual with PyTorch's SGD. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  public Momentum {
    Checks.schedule(schedule);
    Checks.decay("Momentum momentum", momentum,
        "typical values are 0.9 or 0.99 (0 is plain SGD)");
  }

  /** Momentum 0.9 with a constant learning rate. */
  public static Momentum of(double learningRate) {
    return new Momentum(new LearningRateSchedule.Constant(learningRate), DEFAULT_MOMENTUM);
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
      v[i] = mu * v[i] + gradient[i];
      params[i] -= lr * v[i];
    }
  }
}
