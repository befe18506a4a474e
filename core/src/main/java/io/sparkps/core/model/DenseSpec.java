package io.sparkps.core.model;

import java.util.List;

/**
 * A dense model: linear, logistic or softmax regression, or a multilayer perceptron. The family,
 * the layer sizes, the hidden activation and the loss are all a model file needs to rebuild its
 * {@link DenseModel}; validated when constructed. Its JSON type name is {@code dense}.
 *
 * @param kind the family
 * @param inputs number of features
 * @param hidden hidden layer widths, empty unless {@code kind} is MLP
 * @param activation hidden-layer activation (ignored without hidden layers)
 * @param outputs output scores: 1 for regression and binary, the class count for multiclass
 * @param loss the loss, which also fixes the task
 */
public record DenseSpec(ModelKind kind, int inputs, List<Integer> hidden, Activation activation,
    int outputs, Loss loss) implements ModelSpec {

  public DenseSpec {
    hidden = List.copyOf(hidden);
    if (inputs < 1) {
      throw new IllegalArgumentException("a model needs at least 1 input feature, got " + inputs);
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("hidden layer widths must be at least 1, got " + hidden);
      }
    }
    if (kind != ModelKind.MLP && !hidden.isEmpty()) {
      throw new IllegalArgumentException(kind + " has no hidden layers, got " + hidden
          + "; use model MLP for hidden layers");
    }
    Task task = loss.task();
    if (task == Task.MULTICLASS ? outputs < 2 : outputs != 1) {
      throw new IllegalArgumentException(task + " needs " + (task == Task.MULTICLASS
          ? "at least 2 outputs" : "exactly 1 output") + ", got " + outputs);
    }
    if (kind == ModelKind.LINEAR && task != Task.REGRESSION
        || kind == ModelKind.LOGISTIC && task != Task.BINARY
        || kind == ModelKind.SOFTMAX && task != Task.MULTICLASS) {
      throw new IllegalArgumentException(kind + " cannot train with loss " + loss);
    }
  }

  /** Linear regression; {@code loss} is squared error or Huber. */
  public static DenseSpec linear(int inputs, Loss loss) {
    return new DenseSpec(ModelKind.LINEAR, inputs, List.of(), Activation.IDENTITY, 1, loss);
  }

  public static DenseSpec logistic(int inputs) {
    return new DenseSpec(ModelKind.LOGISTIC, inputs, List.of(), Activation.IDENTITY, 1,
        new Loss.LogLoss());
  }

  public static DenseSpec softmax(int inputs, int classes) {
    return new DenseSpec(ModelKind.SOFTMAX, inputs, List.of(), Activation.IDENTITY, classes,
        new Loss.CrossEntropy());
  }

  /**
   * A perceptron whose output and loss follow the task: one score and {@code regressionLoss} for
   * regression, one logit and log loss for two classes, softmax and cross entropy for more.
   */
  public static DenseSpec mlp(int inputs, List<Integer> hidden, Activation activation, Task task,
      int classes, Loss regressionLoss) {
    return switch (task) {
      case REGRESSION -> new DenseSpec(ModelKind.MLP, inputs, hidden, activation, 1, regressionLoss);
      case BINARY -> new DenseSpec(ModelKind.MLP, inputs, hidden, activation, 1, new Loss.LogLoss());
      case MULTICLASS -> new DenseSpec(ModelKind.MLP, inputs, hidden, activation, classes,
          new Loss.CrossEntropy());
    };
  }

  @Override
  public String name() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String shape() {
    return java.util.Arrays.toString(layerSizes());
  }

  /** Layer widths from input to output, e.g. {@code [28, 64, 64, 1]}. */
  public int[] layerSizes() {
    int[] sizes = new int[hidden.size() + 2];
    sizes[0] = inputs;
    for (int i = 0; i < hidden.size(); i++) {
      sizes[i + 1] = hidden.get(i);
    }
    sizes[sizes.length - 1] = outputs;
    return sizes;
  }

  @Override
  public DenseModel build() {
    return new DenseModel(this);
  }

  @Override
  public DenseModel build(io.sparkps.core.compute.ComputeBackend backend) {
    return new DenseModel(this, backend);
  }
}
