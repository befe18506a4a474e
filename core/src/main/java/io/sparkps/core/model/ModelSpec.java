package io.sparkps.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sparkps.core.compute.ComputeBackend;
import java.util.List;

/**
 * What model to build: a descriptor typed in JSON (property {@code type}), as
 * {@link io.sparkps.core.optim.Optimizer} is. It travels in the job shipped to executors, in the
 * model file header and in the Spark ML models, and is all they need to rebuild the
 * {@link Model}. Each record validates itself when constructed.
 *
 * <ul>
 *   <li>{@code dense}: {@link DenseSpec}, linear/logistic/softmax regression and perceptrons;</li>
 *   <li>{@code sparse-linear}: {@link SparseLinearSpec}, the same regressions over sparse rows;</li>
 *   <li>{@code fm}: {@link FmSpec}, factorization machines;</li>
 *   <li>{@code wide-deep}: {@link WideDeepSpec}, wide and deep networks.</li>
 * </ul>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DenseSpec.class, name = "dense"),
    @JsonSubTypes.Type(value = SparseLinearSpec.class, name = "sparse-linear"),
    @JsonSubTypes.Type(value = FmSpec.class, name = "fm"),
    @JsonSubTypes.Type(value = WideDeepSpec.class, name = "wide-deep")
})
public sealed interface ModelSpec extends java.io.Serializable
    permits DenseSpec, SparseLinearSpec, FmSpec, WideDeepSpec {

  /** The width of the input: dense feature columns, or the sparse index bound (key space). */
  int inputs();

  /** Output scores per row: 1 for regression and binary, the class count for multiclass. */
  int outputs();

  /** The loss, which also fixes the task. */
  Loss loss();

  /** The family as the command line names it: {@code logistic}, {@code mlp}, {@code fm}, ... */
  String name();

  /** The shape for people, such as {@code [28, 64, 64, 1]} or {@code 2^20 keys x 9}. */
  String shape();

  /** The model on {@code backend}. */
  Model build(ComputeBackend backend);

  /** The model on the built-in CPU backend. */
  default Model build() {
    return build(io.sparkps.core.compute.CpuBackend.INSTANCE);
  }

  default Task task() {
    return loss().task();
  }

  /** Linear regression; {@code loss} is squared error or Huber. */
  static DenseSpec linear(int inputs, Loss loss) {
    return DenseSpec.linear(inputs, loss);
  }

  static DenseSpec logistic(int inputs) {
    return DenseSpec.logistic(inputs);
  }

  static DenseSpec softmax(int inputs, int classes) {
    return DenseSpec.softmax(inputs, classes);
  }

  /** A perceptron whose output and loss follow the task (see {@link DenseSpec#mlp}). */
  static DenseSpec mlp(int inputs, List<Integer> hidden, Activation activation, Task task,
      int classes, Loss regressionLoss) {
    return DenseSpec.mlp(inputs, hidden, activation, task, classes, regressionLoss);
  }
}
