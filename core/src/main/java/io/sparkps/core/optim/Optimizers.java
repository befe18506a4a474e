package io.sparkps.core.optim;

import java.util.List;
import java.util.Locale;

/** Builds an {@link Optimizer} from its name, with PyTorch's default hyper-parameters. */
public final class Optimizers {

  /** The names {@link #parse} accepts, which are also the JSON type names of the records. */
  public static final List<String> NAMES =
      List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "ftrl");

  private Optimizers() {}

  /**
   * The optimizer called {@code name} (case and surrounding blanks ignored) with {@code
   * schedule} and these defaults: momentum and nesterov 0.9; adagrad epsilon 1e-10; rmsprop rho
   * 0.99 (PyTorch's {@code alpha}) and epsilon 1e-8; adam and adamw beta1 0.9, beta2 0.999,
   * epsilon 1e-8; adamw weight decay 0.01; ftrl (the schedule's rate is its alpha) beta 1 and
   * no L1 or L2 ({@link Ftrl}; a keyed job's own L1 and L2 come from its options).
   *
   * @throws IllegalArgumentException if the name is none of {@link #NAMES}
   */
  public static Optimizer parse(String name, LearningRateSchedule schedule) {
    String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return switch (key) {
      case "sgd" -> new Sgd(schedule);
      case "momentum" -> new Momentum(schedule, Momentum.DEFAULT_MOMENTUM);
      case "nesterov" -> new Nesterov(schedule, Momentum.DEFAULT_MOMENTUM);
      case "adagrad" -> new AdaGrad(schedule, AdaGrad.DEFAULT_EPSILON);
      case "rmsprop" -> new RmsProp(schedule, RmsProp.DEFAULT_RHO, RmsProp.DEFAULT_EPSILON);
      case "adam" -> Adam.of(schedule);
      case "adamw" -> AdamW.of(schedule);
      case "ftrl" -> new Ftrl(schedule, Ftrl.DEFAULT_BETA, 0, 0);
      default -> throw new IllegalArgumentException(
          "Unknown optimizer \"" + name + "\"; use one of " + String.join(", ", NAMES)
              + " (case does not matter)");
    };
  }

  /** {@link #parse(String, LearningRateSchedule)} with a constant learning rate. */
  public static Optimizer parse(String name, double learningRate) {
    return parse(name, new LearningRateSchedule.Constant(learningRate));
  }
}
