package io.sparkps.driver.data;

import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.model.Task;

/** Where the label encoding comes from: learned from the data, or a trained model's. */
public sealed interface LabelSpec {

  /** The task the labels are read for. */
  Task task();

  /** Learns the classes from the data's distinct labels (training). */
  record Fit(Task task) implements LabelSpec {
  }

  /** Encodes with a trained model's classes (evaluation, prediction). */
  record Trained(LabelEncoder encoder) implements LabelSpec {
    @Override
    public Task task() {
      return encoder.task();
    }
  }

  static LabelSpec fit(Task task) {
    return new Fit(task);
  }

  static LabelSpec trained(LabelEncoder encoder) {
    return new Trained(encoder);
  }
}
