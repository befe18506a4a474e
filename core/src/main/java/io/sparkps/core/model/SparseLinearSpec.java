package io.sparkps.core.model;

import io.sparkps.core.compute.ComputeBackend;

/**
 * Linear, logistic or softmax regression over sparse rows: one row of {@code outputs} weights
 * per key and {@code outputs} biases. The loss fixes the task (squared or Huber: linear; log
 * loss: logistic; cross entropy: softmax). JSON type name {@code sparse-linear}.
 *
 * @param inputs the key space (index bound of the sparse rows), at least 1
 * @param outputs 1 for regression and binary, the class count for multiclass
 * @param loss the loss
 */
public record SparseLinearSpec(int inputs, int outputs, Loss loss) implements ModelSpec {

  public SparseLinearSpec {
    if (inputs < 1) {
      throw new IllegalArgumentException("a sparse model needs a key space of at least 1, got "
          + inputs);
    }
    Task task = loss.task();
    if (task == Task.MULTICLASS ? outputs < 2 : outputs != 1) {
      throw new IllegalArgumentException(task + " needs " + (task == Task.MULTICLASS
          ? "at least 2 outputs" : "exactly 1 output") + ", got " + outputs);
    }
    if ((long) inputs * outputs + outputs > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(inputs + " keys x " + outputs + " outputs do not fit "
          + "one parameter vector; use fewer hash bits or classes");
    }
  }

  @Override
  public String name() {
    return switch (task()) {
      case REGRESSION -> "linear";
      case BINARY -> "logistic";
      case MULTICLASS -> "softmax";
    };
  }

  @Override
  public String shape() {
    return KeySpace.describe(inputs) + " x " + outputs;
  }

  @Override
  public SparseLinearModel build() {
    return build(io.sparkps.core.compute.CpuBackend.INSTANCE);
  }

  @Override
  public SparseLinearModel build(ComputeBackend backend) {
    return new SparseLinearModel(this);
  }
}
