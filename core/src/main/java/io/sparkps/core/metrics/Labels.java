package io.sparkps.core.metrics;

/** Checks shared by the metric functions and accumulators; messages name the row and the fix. */
final class Labels {

  private Labels() {
  }

  /** The binary label of row {@code row} as 0 or 1. */
  static int binary(float label, long row) {
    if (label == 0f) {
      return 0;
    }
    if (label == 1f) {
      return 1;
    }
    throw new IllegalArgumentException("binary label of row " + row + " must be 0 or 1, got "
        + label + "; map the classes to 0 and 1 before evaluating");
  }

  /** The class index of row {@code row}, which must be an integer in {@code [0, classes)}. */
  static int classIndex(float label, int classes, long row) {
    int y = (int) label;
    if (y != label || y < 0 || y >= classes) {
      throw new IllegalArgumentException("class label of row " + row + " must be an integer in [0, "
          + (classes - 1) + "], got " + label + "; the model was built for " + classes
          + " classes");
    }
    return y;
  }

  /** A probability in [0, 1]; anything else is a raw score passed by mistake. */
  static double probability(float p, long row) {
    if (!(p >= 0f && p <= 1f)) {
      throw new IllegalArgumentException("predicted probability of row " + row
          + " must be in [0, 1], got " + p + "; pass probabilities (after the sigmoid or softmax)"
          + ", not raw scores");
    }
    return p;
  }

  static void checkClasses(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
  }

  static void checkSameLength(int labels, int predictions, String what) {
    if (labels != predictions) {
      throw new IllegalArgumentException("got " + labels + " labels but " + predictions + " "
          + what + "; pass one prediction per label");
    }
    if (labels == 0) {
      throw new IllegalArgumentException("cannot compute a metric of 0 examples; pass at least one");
    }
  }
}
