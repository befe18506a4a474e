package io.sparkps.core.model;

/** The model families SparkPS trains. */
public enum ModelKind {
  LINEAR,
  LOGISTIC,
  SOFTMAX,
  MLP
}
