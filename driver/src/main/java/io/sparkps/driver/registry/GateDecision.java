package io.sparkps.driver.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the promotion gate decided, with the numbers it decided on; recorded in the
 * {@code data.json} of the version or of the rejected candidate.
 *
 * @param outcome promoted as the first version, promoted over the current one, or rejected
 * @param metric the validation metric compared (a key of {@code evaluate --json})
 * @param margin how much worse than the current model the candidate may be
 * @param candidate the candidate's value of {@code metric}
 * @param current the current model's value on the same validation rows; empty for the first
 *     version
 */
public record GateDecision(Outcome outcome, String metric, double margin, double candidate,
    OptionalDouble current) {

  /** The three ways a decision ends. */
  public enum Outcome {
    /** No current version: the candidate becomes the first one. */
    FIRST_VERSION,
    /** The candidate is not worse than the current model by more than the margin. */
    PROMOTED,
    /** The candidate is worse than the current model by more than the margin. */
    REJECTED
  }

  /** Whether the candidate becomes the new current version. */
  public boolean promoted() {
    return outcome != Outcome.REJECTED;
  }

  /** One sentence for the log and the scheduler. */
  public String reason() {
    if (outcome == Outcome.FIRST_VERSION) {
      return String.format(Locale.ROOT, "no current version: the candidate (validation %s %.6f) "
          + "becomes the first one", metric, candidate);
    }
    double cur = current.orElseThrow();
    if (Double.isNaN(candidate)) {
      return "the candidate's validation " + metric + " is not a number; it diverged, so try a "
          + "smaller --lr";
    }
    return String.format(Locale.ROOT, "candidate validation %s %.6f vs current %.6f: %s than the "
        + "margin %s", metric, candidate, cur, promoted() ? "not worse by more"
        : "worse by more", margin);
  }

  /** The decision as JSON-ready values. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
    m.put("metric", metric);
    m.put("margin", margin);
    m.put("candidate", finiteOrText(candidate));
    current.ifPresent(c -> m.put("current", finiteOrText(c)));
    m.put("reason", reason());
    return m;
  }

  private static Object finiteOrText(double v) {
    return Double.isFinite(v) ? v : Double.toString(v);
  }
}
