package io.sparkps.core.model;

import java.util.List;

/**
 * What to build: the family, the layer sizes, the hidden activation and the loss. A spec is all a
 * model file needs to rebuild its {@link Model}; validated when constructed.
 *
 * @param kind the family
 * @param inputs number of features
 * @param hidden hidden layer widths, empty unless {@code kind} is MLP
 * @param activation hidden-layer activation (ignored without hidden layers)
 * @param outputs output scores: 1 for regression and binary, the class count for multiclass
 * @param loss the loss, which also fixes the task
 */
public record ModelSpec(ModelKind kind, int inputs, List<Integer> hidden, Activation activation,
    int outputs, Loss loss) implements java.io.Serializable {

  public ModelSpec {
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
  public static ModelSpec linear(int inputs, Loss loss) {
    return new ModelSpec(ModelKind.LINEAR, inputs, List.of(), Activation.IDENTITY, 1, loss);
  }

  public static ModelSpec logistic(int inputs) {
    return new ModelSpec(ModelKind.LOGISTIC, inputs, List.of(), Activation.IDENTITY, 1,
        new Loss.LogLoss());
  }

  public static ModelSpec softmax(int inputs, int classes) {
    return new ModelSpec(ModelKind.SOFTMAX, inputs, List.of(), Activation.IDENTITY, classes,
        new Loss.CrossEntropy());
  }

  /**
   * A perceptron whose output and loss follow the task: one score and {@code regressionLoss} for
   * regression, one logit and log loss for two classes, softmax and cross entropy for more.
   */
  public static ModelSpec mlp(int inputs, List<Integer> hidden, Activation activation, Task task,
      int classes, Loss regressionLoss) {
    return switch (task) {
      case REGRESSION -> new ModelSpec(ModelKind.MLP, inputs, hidden, activation, 1, regressionLoss);
      case BINARY -> new ModelSpec(ModelKind.MLP, inputs, hidden, activation, 1, new Loss.LogLoss());
      case MULTICLASS -> new ModelSpec(ModelKind.MLP, inputs, hidden, activation, classes,
          new Loss.CrossEntropy());
    };
  }

  public Task task() {
    return loss.task();
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

  /** The model on the built-in CPU backend. */
  public Model build() {
    return new Model(this);
  }

  /** The model on {@code backend}. */
  public Model build(io.sparkps.core.compute.ComputeBackend backend) {
    return new Model(this, backend);
  }
}
