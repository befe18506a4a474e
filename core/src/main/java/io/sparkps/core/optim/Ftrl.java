package io.sparkps.core.optim;

/**
 * FTRL-Proximal per coordinate (McMahan et al., "Ad Click Prediction: a View from the
 * Trenches", KDD 2013, Algorithm 1), with {@code alpha} the schedule's rate, L1 {@code l1} and
 * L2 {@code l2}. For a gradient {@code g} of a coordinate with weight {@code w} and state
 * {@code (z, n)}:
 *
 * <pre>
 *   sigma = (sqrt(n + g^2) - sqrt(n)) / alpha
 *   z = z + g - sigma * w
 *   n = n + g^2
 *   w = 0                                                   if |z| &lt;= l1
 *   w = -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)  otherwise
 * </pre>
 *
 * <p>L1 gives exact zeros. The rule is meant for sparse models trained on a keyed layout, where
 * the servers keep {@code (z, n)} per key (the parameter server's keyed {@code Ftrl}) and a key
 * whose weights are all zero is not written to the model; this dense form steps the dense tail
 * of such a job (a bias) with the same arithmetic. A coordinate whose state is still zero
 * ({@code n = 0}, never stepped) first takes the {@code z} from which the formula gives back its
 * current weight, {@code z = -w * (beta / alpha + l2) - sign(w) * l1}, so a non-zero initial
 * weight is kept, as the keyed rule's initial record does.
 *
 * <p>State slot 0 holds {@code z}, slot 1 {@code n}.
 */
public record Ftrl(LearningRateSchedule schedule, double beta, double l1, double l2)
    implements Optimizer {

  /** The paper's alpha of its examples (the learning rate): 0.1. */
  public static final double DEFAULT_ALPHA = 0.1;
  /** The paper: "beta = 1 is usually good enough". */
  public static final double DEFAULT_BETA = 1.0;

  public Ftrl {
    Checks.schedule(schedule);
    Checks.nonNegative("FTRL beta", beta, "the paper uses 1");
    Checks.nonNegative("FTRL L1", l1, "use 0 for none; larger values zero more weak features");
    Checks.nonNegative("FTRL L2", l2, "use 0 for none");
  }

  /** FTRL with beta 1, no L1 or L2 and a constant {@code alpha}. */
  public static Ftrl of(double alpha) {
    return new Ftrl(new LearningRateSchedule.Constant(alpha), DEFAULT_BETA, 0, 0);
  }

  @Override
  public int stateSlots() {
    return 2;
  }

  @Override
  public void step(
      float[] params, float[] gradient, OptimizerState state, long step, int from, int to) {
    Checks.update(this, params, gradient, state, step, from, to);
    double alpha = schedule.rate(step);
    float[] zs = state.slot(0);
    float[] ns = state.slot(1);
    for (int i = from; i < to; i++) {
      double w = params[i];
      double n = ns[i];
      double z = n == 0 && zs[i] == 0 ? -w * (beta / alpha + l2) - Math.signum(w) * l1 : zs[i];
      double g = gradient[i];
      double n2 = n + g * g;
      z = z + g - (Math.sqrt(n2) - Math.sqrt(n)) / alpha * w;
      zs[i] = (float) z;
      ns[i] = (float) n2;
      params[i] = Math.abs(z) <= l1 ? 0f
          : (float) (-(z - Math.signum(z) * l1) / ((beta + Math.sqrt(n2)) / alpha + l2));
    }
  }
}
