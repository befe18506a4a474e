package io.sparkps.core.optim;

/**
 * Argument checks shared by the update rules and schedules of this package. Every failure is an
 * {@link IllegalArgumentException} whose message names the setting, the value, the limit and the
 * fix, so a bad job file is explained where it is read.
 */
final class Checks {

  private Checks() {}

  /** Requires {@code 0 < value < infinity}. */
  static double positive(String name, double value, String fix) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          name + " must be a finite number above 0, got " + value + "; " + fix);
    }
    return value;
  }

  /** Requires {@code 0 <= value < infinity}. */
  static double nonNegative(String name, double value, String fix) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          name + " must be a finite number of at least 0, got " + value + "; " + fix);
    }
    return value;
  }

  /** Requires {@code 0 <= value < 1}, the range of a decay or momentum coefficient. */
  static double decay(String name, double value, String fix) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(
          name + " must be in [0, 1), got " + value + "; " + fix);
    }
    return value;
  }

  /** Requires a non-null value. */
  static <T> T present(String name, T value, String fix) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must be set, got null; " + fix);
    }
    return value;
  }

  /** Requires a 1-based update number. */
  static long step(long step) {
    if (step < 1) {
      throw new IllegalArgumentException(
          "step must be the 1-based update number, at least 1, got " + step
              + "; count updates from 1, not 0");
    }
    return step;
  }

  /**
   * Checks the arguments of {@link Optimizer#step}: the update number, a range within the
   * arrays, equal array lengths, and a state with the slots the rule needs, each as long as the
   * parameters.
   */
  static void update(Optimizer rule, float[] params, float[] gradient, OptimizerState state,
      long step, int from, int to) {
    step(step);
    if (from < 0 || from > to || to > params.length) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is not within the "
          + params.length + " parameters; pass 0 <= from <= to <= params.length");
    }
    if (params.length != gradient.length) {
      throw new IllegalArgumentException(
          "gradient length " + gradient.length + " does not match params length "
              + params.length + "; pass the gradient of the same parameter range");
    }
    if (state.slotCount() != rule.stateSlots()) {
      throw new IllegalArgumentException(
          "state has " + state.slotCount() + " slots but " + rule.getClass().getSimpleName()
              + " needs " + rule.stateSlots() + "; create it with optimizer.newState(size)");
    }
    for (int s = 0; s < state.slotCount(); s++) {
      if (state.slot(s).length != params.length) {
        throw new IllegalArgumentException(
            "state slot " + s + " has length " + state.slot(s).length
                + " but params have length " + params.length
                + "; create the state with optimizer.newState(params.length)");
      }
    }
  }

  /** The schedule every optimizer requires, with the message naming the fix. */
  static LearningRateSchedule schedule(LearningRateSchedule schedule) {
    return present("schedule", schedule,
        "give a learning-rate schedule, e.g. new LearningRateSchedule.Constant(0.01)");
  }
}
