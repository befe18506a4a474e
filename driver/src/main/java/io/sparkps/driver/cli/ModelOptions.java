package io.sparkps.driver.cli;

import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.Task;
import io.sparkps.core.model.WideDeepSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** Which model to train: family, layers, activation, task and loss. */
public final class ModelOptions {

  /** Tasks as the command line names them; {@code auto} infers one from the labels. */
  public enum TaskChoice { auto, regression, binary, multiclass }

  /** The families as the command line names them. */
  public enum Family {
    linear, logistic, softmax, mlp, fm, wide_deep;

    static Family parse(String s) {
      try {
        return valueOf(s.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--model must be linear, logistic, softmax, mlp, fm "
            + "or wide-deep, got '" + s + "'");
      }
    }

    /** Whether the family reads sparse rows only (factorization machines, wide and deep). */
    public boolean sparseOnly() {
      return this == fm || this == wide_deep;
    }
  }

  @Option(names = "--model", paramLabel = "KIND", defaultValue = "logistic",
      description = "linear, logistic, softmax, mlp, fm (factorization machine) or wide-deep. "
          + "linear/logistic/softmax train sparse weights on sparse input (LibSVM, "
          + "--categorical, sparse vectors). Default: ${DEFAULT-VALUE}.")
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

  @Option(names = "--factors", paramLabel = "K", defaultValue = "8",
      description = "Latent factors per feature of an fm. Default: ${DEFAULT-VALUE}.")
  int factors;

  @Option(names = "--embedding-dim", paramLabel = "D", defaultValue = "8",
      description = "Embedding width per field of a wide-deep model (whose deep part has "
          + "--hidden layers). Default: ${DEFAULT-VALUE}.")
  int embeddingDim;

  @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
      description = "Regression loss: squared or huber. Default: ${DEFAULT-VALUE}.")
  String loss;

  @Option(names = "--huber-delta", paramLabel = "X", defaultValue = "1.0",
      description = "Where the Huber loss turns linear. Default: ${DEFAULT-VALUE}.")
  double huberDelta;

  public Family family() {
    return Family.parse(kind);
  }

  /** The task the data is read for; {@code auto} reads as multiclass, then narrows to binary. */
  public Task readTask() {
    return switch (family()) {
      case linear -> Task.REGRESSION;
      case logistic -> Task.BINARY;
      case softmax -> Task.MULTICLASS;
      case mlp, fm, wide_deep -> switch (task) {
        case regression -> Task.REGRESSION;
        case binary -> Task.BINARY;
        case auto -> family() == Family.mlp ? Task.MULTICLASS : Task.BINARY;
        case multiclass -> {
          if (family() != Family.mlp) {
            throw new IllegalArgumentException("--model " + kind + " does regression or binary "
                + "classification; use softmax or mlp for several classes");
          }
          yield Task.MULTICLASS;
        }
      };
    };
  }

  /**
   * The model for data {@code width} wide with the given classes (empty for regression): sparse
   * weights when {@code sparse} (a sparse load), with {@code fields} fields per row (hashed
   * columns, which wide-deep needs).
   */
  public ModelSpec toSpec(int width, List<String> classNames, boolean sparse, int fields) {
    int classes = classNames.size();
    Loss regression = switch (loss.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "squared" -> new Loss.SquaredError();
      case "huber" -> new Loss.Huber(huberDelta);
      default -> throw new IllegalArgumentException("--loss must be squared or huber, got '"
          + loss + "'");
    };
    Task t = readTask() == Task.MULTICLASS && task == TaskChoice.auto && classes == 2
        ? Task.BINARY : readTask();
    Loss byTask = t == Task.REGRESSION ? regression : t == Task.BINARY ? new Loss.LogLoss()
        : new Loss.CrossEntropy();
    Family f = family();
    if (f.sparseOnly() && !sparse) {
      throw new IllegalArgumentException("--model " + kind + " reads sparse rows: give "
          + "--categorical columns of CSV data, LibSVM data, or a sparse vector column");
    }
    return switch (f) {
      case linear -> sparse ? new SparseLinearSpec(width, 1, regression)
          : ModelSpec.linear(width, regression);
      case logistic -> sparse ? new SparseLinearSpec(width, 1, new Loss.LogLoss())
          : ModelSpec.logistic(width);
      case softmax -> sparse ? new SparseLinearSpec(width, classes, new Loss.CrossEntropy())
          : ModelSpec.softmax(width, classes);
      case mlp -> ModelSpec.mlp(width, hidden, Activation.parse(activation), t, classes,
          regression);
      case fm -> FmSpec.of(width, factors, byTask);
      case wide_deep -> {
        if (fields < 1) {
          throw new IllegalArgumentException("--model wide-deep embeds each input field: give "
              + "the CSV columns to hash with --categorical (LibSVM rows have no fields)");
        }
        yield WideDeepSpec.of(width, fields, embeddingDim, hidden, Activation.parse(activation),
            byTask);
      }
    };
  }

  /** Whether this model family reads dense rows (a perceptron densifies sparse input). */
  public boolean dense() {
    return family() == Family.mlp;
  }
}
