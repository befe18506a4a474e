package io.sparkps.driver.registry;

import io.sparkps.core.model.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides whether a candidate replaces the current model: it does unless its validation
 * {@code metric} is worse than the current model's, on the same rows, by more than
 * {@code margin}. {@code logLoss}, {@code rmse} and {@code mae} are better lower;
 * {@code accuracy}, {@code auc} and {@code r2} are better higher. A candidate whose metric is
 * not a number is always rejected; the first version is always promoted.
 *
 * @param metric a key of {@code evaluate --json}
 * @param margin how much worse the candidate may be, in the metric's units; at least 0
 */
public record PromotionGate(String metric, double margin) {

  private static final List<String> LOWER_IS_BETTER = List.of("logLoss", "rmse", "mae");
  private static final List<String> CLASSIFICATION = List.of("logLoss", "accuracy", "auc");
  private static final List<String> REGRESSION = List.of("rmse", "mae", "r2");

  public PromotionGate {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("--margin must be a finite number of at least 0, got "
          + margin + "; 0 promotes only a candidate at least as good as the current model");
    }
  }

  /**
   * The gate for a model of {@code task}: {@code metric} when given, else {@code logLoss} for
   * classifiers and {@code rmse} for regression.
   */
  public static PromotionGate of(Optional<String> metric, double margin, Task task) {
    List<String> allowed = task == Task.REGRESSION ? REGRESSION
        : task == Task.BINARY ? CLASSIFICATION : CLASSIFICATION.subList(0, 2);
    String m = metric.orElse(task == Task.REGRESSION ? "rmse" : "logLoss");
    if (!allowed.contains(m)) {
      throw new IllegalArgumentException("--metric " + m + " is not measured for a "
          + task.name().toLowerCase(java.util.Locale.ROOT) + " model; choose one of " + allowed);
    }
    return new PromotionGate(m, margin);
  }

  /** Whether a smaller value of the metric is better. */
  public boolean lowerIsBetter() {
    return LOWER_IS_BETTER.contains(metric);
  }

  /** The decision for the candidate's metrics against the current model's, when there is one. */
  public GateDecision decide(Map<String, Double> candidate,
      Optional<Map<String, Double>> current) {
    double c = valueOf(candidate, "candidate");
    if (current.isEmpty()) {
      return new GateDecision(GateDecision.Outcome.FIRST_VERSION, metric, margin, c,
          OptionalDouble.empty());
    }
    double cur = valueOf(current.get(), "current model");
    double worseBy = lowerIsBetter() ? c - cur : cur - c;
    boolean ok = !Double.isNaN(c) && (Double.isNaN(cur) || worseBy <= margin);
    return new GateDecision(ok ? GateDecision.Outcome.PROMOTED : GateDecision.Outcome.REJECTED,
        metric, margin, c, OptionalDouble.of(cur));
  }

  private double valueOf(Map<String, Double> metrics, String whose) {
    if (!metrics.containsKey(metric)) {
      throw new IllegalArgumentException("the " + whose + "'s validation metrics " + metrics
          .keySet() + " have no " + metric + "; choose one of them with --metric");
    }
    return metrics.get(metric);
  }
}
