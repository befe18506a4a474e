package io.sparkps.driver.data;

import io.sparkps.core.data.Standardizer;

/** How features are scaled on the way into blocks. */
public sealed interface Standardization {

  /** Raw features. */
  record None() implements Standardization {
  }

  /** Mean and standard deviation of the training split, computed as the data is read (training). */
  record FitOnTrain() implements Standardization {
  }

  /** A trained model's standardization (evaluation, prediction). */
  record Given(Standardizer standardizer) implements Standardization {
  }

  static Standardization none() {
    return new None();
  }

  static Standardization fitOnTrain() {
    return new FitOnTrain();
  }

  static Standardization given(Standardizer standardizer) {
    return new Given(standardizer);
  }
}
