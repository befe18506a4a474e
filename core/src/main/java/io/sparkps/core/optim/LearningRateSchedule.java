package io.sparkps.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The learning rate as a function of the 1-based update number.
 *
 * <p>Every schedule is a pure function of the step, so a parameter server restored from a
 * checkpoint at update {@code t} resumes with exactly the rate it would have used. All rates are
 * at least 0; every variant rejects bad arguments in its constructor (and so when a job file is
 * read) and rejects a step below 1 in {@link #rate(long)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LearningRateSchedule.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = LearningRateSchedule.StepDecay.class, name = "step"),
    @JsonSubTypes.Type(value = LearningRateSchedule.Cosine.class, name = "cosine"),
    @JsonSubTypes.Type(value = LearningRateSchedule.WarmUp.class, name = "warmup")
})
public sealed interface LearningRateSchedule extends java.io.Serializable {

  /** The rate for update number {@code step} (1-based). */
  double rate(long step);

  /** The rate the schedule starts from (its peak for cosine and warm-up). */
  double baseRate();

  /** The same rate at every step. */
  record Constant(double baseRate) implements LearningRateSchedule {
    public Constant {
      checkBaseRate("Constant", baseRate);
    }

    public double rate(long step) {
      return baseRate;
    }
  }

  /**
   * Multiplies the rate by {@code gamma} every {@code every} updates: updates {@code 1..every}
   * use {@code baseRate}, updates {@code every+1..2*every} use {@code baseRate * gamma}, and so
   * on: {@code rate(t) = baseRate * gamma^floor((t - 1) / every)}. This is PyTorch's
   * {@code StepLR} with its 0-based epoch counter replaced by {@code t - 1}.
   */
  record StepDecay(double baseRate, long every, double gamma) implements LearningRateSchedule {
    public StepDecay {
      checkBaseRate("StepDecay", baseRate);
      if (every < 1) {
        throw new IllegalArgumentException(
            "StepDecay every must be at least 1 update, got " + every
                + "; set how many updates pass between two decays");
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException(
            "StepDecay gamma must be in (0, 1], got " + gamma
                + "; use a factor such as 0.5 that shrinks the rate (1 keeps it constant)");
      }
    }

    public double rate(long step) {
      long decays = (Checks.step(step) - 1) / every;
      return baseRate * Math.pow(gamma, decays);
    }
  }

  /**
   * Cosine annealing without restarts (Loshchilov and Hutter, "SGDR: Stochastic Gradient
   * Descent with Warm Restarts", ICLR 2017): {@code rate(t) = minRate + (baseRate - minRate)
   * * (1 + cos(pi * (t - 1) / (totalSteps - 1))) / 2}. Update 1 uses {@code baseRate}, update
   * {@code totalSteps} (the last one) uses {@code minRate}, and later updates stay at {@code
   * minRate}.
   */
  record Cosine(double baseRate, long totalSteps, double minRate) implements LearningRateSchedule {
    public Cosine {
      checkBaseRate("Cosine", baseRate);
      if (totalSteps < 2) {
        throw new IllegalArgumentException(
            "Cosine totalSteps must be at least 2 (the first and the last update), got "
                + totalSteps + "; use Constant for a single update");
      }
      if (!(minRate >= 0 && minRate <= baseRate)) {
        throw new IllegalArgumentException(
            "Cosine minRate must be in [0, baseRate] = [0, " + baseRate + "], got " + minRate
                + "; the rate anneals down from baseRate to minRate");
      }
    }

    public double rate(long step) {
      long t = Math.min(Checks.step(step), totalSteps);
      double progress = (double) (t - 1) / (totalSteps - 1);
      return minRate + (baseRate - minRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }

  /**
   * Linear warm-up (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour",
   * 2017) in front of another schedule. Update {@code t <= warmupSteps} uses {@code
   * after.baseRate() * t / warmupSteps}, a ramp from {@code baseRate / warmupSteps} up to
   * {@code baseRate} at update {@code warmupSteps}. After that the inner schedule runs offset by
   * the warm-up, as if it started at update 1: {@code rate(t) = after.rate(t - warmupSteps)}.
   * So the inner schedule's own step counts (a cosine's {@code totalSteps}, a step decay's
   * {@code every}) count only the updates after warm-up, and the peak rate is used twice (at
   * the last warm-up update and the first update after it).
   */
  record WarmUp(long warmupSteps, LearningRateSchedule after) implements LearningRateSchedule {
    public WarmUp {
      if (warmupSteps < 1) {
        throw new IllegalArgumentException(
            "WarmUp warmupSteps must be at least 1, got " + warmupSteps
                + "; use the inner schedule alone for no warm-up");
      }
      Checks.present("WarmUp after", after,
          "give the schedule that follows the warm-up, e.g. Constant or Cosine");
      if (after instanceof WarmUp) {
        throw new IllegalArgumentException(
            "WarmUp after must not itself be a WarmUp, got " + after
                + "; use one WarmUp with the sum of the warm-up steps");
      }
    }

    public double baseRate() {
      return after.baseRate();
    }

    public double rate(long step) {
      if (Checks.step(step) <= warmupSteps) {
        return after.baseRate() * step / warmupSteps;
      }
      return after.rate(step - warmupSteps);
    }
  }

  private static void checkBaseRate(String schedule, double baseRate) {
    Checks.positive(schedule + " baseRate", baseRate,
        "a learning rate of 0 or less would not train; typical values are 0.001 to 0.1");
  }
}
