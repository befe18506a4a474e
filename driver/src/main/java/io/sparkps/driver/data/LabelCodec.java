package io.sparkps.driver.data;

import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A {@link LabelEncoder} in a form Spark can ship to executors, or, while the classes of a
 * training set are still being learned, a collector that accepts any non-empty label.
 */
final class LabelCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Task task;
  private final boolean collecting;
  private final ArrayList<String> classes;
  private final HashMap<String, Integer> index;
  private final transient java.util.Optional<LabelEncoder> encoder;

  private LabelCodec(Task task, boolean collecting, List<String> classes,
      java.util.Map<String, Integer> index) {
    this.task = task;
    this.collecting = collecting;
    this.classes = new ArrayList<>(classes);
    this.index = new HashMap<>(index);
    this.encoder = collecting ? java.util.Optional.empty()
        : java.util.Optional.of(new LabelEncoder(task, List.copyOf(classes),
            java.util.Map.copyOf(index)));
  }

  /** Rebuilds the encoder after deserialization. */
  private Object readResolve() {
    return new LabelCodec(task, collecting, classes, index);
  }

  /** What the read checks: the classes are still unknown for a classifier being trained. */
  static LabelCodec firstPass(LabelSpec spec) {
    if (spec instanceof LabelSpec.Trained t) {
      return of(t.encoder());
    }
    return spec.task() == Task.REGRESSION ? of(LabelEncoder.fit(Task.REGRESSION, List.of()))
        : new LabelCodec(spec.task(), true, List.of(), java.util.Map.of());
  }

  static LabelCodec of(LabelEncoder encoder) {
    return new LabelCodec(encoder.task(), false, encoder.classes(), encoder.index());
  }

  /** Whether the distinct labels must be gathered to learn the classes. */
  boolean collecting() {
    return collecting;
  }

  /**
   * The label as the model trains on it (0 while collecting); {@link NumberFormatException} when
   * it is missing, NaN or infinite, or not valid for the encoder.
   */
  float encode(String label) {
    String s = label.trim();
    if (s.isEmpty()) {
      throw new NumberFormatException("the label is missing; remove the row or fill in its label");
    }
    if (s.endsWith("NaN") || s.endsWith("Infinity")) {
      throw new NumberFormatException("the label is " + s + "; labels must be finite numbers or "
          + "class names");
    }
    try {
      return encoder.isPresent() ? encoder.get().encode(s) : 0f;
    } catch (NumberFormatException e) {
      throw e.getMessage() != null && e.getMessage().contains("label") ? e
          : new NumberFormatException("the label '" + s + "' is not a number; " + task
              + " labels must be numbers");
    }
  }
}
