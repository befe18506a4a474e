package io.sparkps.driver.cli;

import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.ModelKind;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import picocli.CommandLine.Option;

/** Which model to train: family, layers, activation, task and loss. */
public final class ModelOptions {

  /** Tasks as the command line names them; {@code auto} infers one from the labels. */
  public enum TaskChoice { auto, regression, binary, multiclass }

  @Option(names = "--model", paramLabel = "KIND", defaultValue = "logistic",
      description = "linear, logistic, softmax or mlp. Default: ${DEFAULT-VALUE}.")
  String kind;

  @Option(names = "--hidden", paramLabel = "N,N", split = ",", defaultValue = "64,64",
      description = "Hidden layer widths of an mlp. Default: ${DEFAULT-VALUE}.")
  List<Integer> hidden;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
      description = "Hidden activation of an mlp: relu, leaky-relu, tanh, sigmoid. "
          + "Default: ${DEFAULT-VALUE}.")
  String activation;

  @Option(names = "--task", paramLabel = "TASK", defaultValue = "auto",
      description = "What an mlp predicts: regression, binary, multiclass, or auto (binary or "
          + "multiclass by the number of classes). Default: ${DEFAULT-VALUE}.")
  TaskChoice task;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
      description = "Regression loss: squared or huber. Default: ${DEFAULT-VALUE}.")
  String loss;

  @Option(names = "--huber-delta", paramLabel = "X", defaultValue = "1.0",
      description = "Where the Huber loss turns linear. Default: ${DEFAULT-VALUE}.")
  double huberDelta;

  ModelKind kind() {
    try {
      return ModelKind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--model must be linear, logistic, softmax or mlp, got '"
          + kind + "'");
    }
  }

  /** The task the data is read for; {@code auto} reads as multiclass, then narrows to binary. */
  public Task readTask() {
    return switch (kind()) {
      case LINEAR -> Task.REGRESSION;
      case LOGISTIC -> Task.BINARY;
      case SOFTMAX -> Task.MULTICLASS;
      case MLP -> switch (task) {
        case regression -> Task.REGRESSION;
        case binary -> Task.BINARY;
        case auto, multiclass -> Task.MULTICLASS;
      };
    };
  }

  /** The model for data of {@code d} features and the given classes (empty for regression). */
  public ModelSpec toSpec(int d, List<String> classNames) {
    int classes = classNames.size();
    Loss regression = switch (loss.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "squared" -> new Loss.SquaredError();
      case "huber" -> new Loss.Huber(huberDelta);
      default -> throw new IllegalArgumentException("--loss must be squared or huber, got '"
          + loss + "'");
    };
    return switch (kind()) {
      case LINEAR -> ModelSpec.linear(d, regression);
      case LOGISTIC -> ModelSpec.logistic(d);
      case SOFTMAX -> ModelSpec.softmax(d, classes);
      case MLP -> {
        Task t = readTask() == Task.MULTICLASS && task == TaskChoice.auto && classes == 2
            ? Task.BINARY : readTask();
        yield ModelSpec.mlp(d, hidden, Activation.parse(activation), t, classes, regression);
      }
    };
  }
}
