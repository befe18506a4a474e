package io.sparkps.core.model;

/** What a model predicts: a number, one of two classes, or one of several. */
public enum Task {
  REGRESSION,
  BINARY,
  MULTICLASS;

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
