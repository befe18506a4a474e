package io.sparkps.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A loss on one example's output scores {@code z[off..off+k)} (the last layer's pre-activations)
 * and its label. The output link is part of the loss: log loss reads {@code z} as a logit,
 * cross entropy as softmax logits. {@link #lossAndDelta} returns the loss and writes
 * {@code dLoss/dz}, which is where backpropagation starts.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Loss.SquaredError.class, name = "squared"),
    @JsonSubTypes.Type(value = Loss.Huber.class, name = "huber"),
    @JsonSubTypes.Type(value = Loss.LogLoss.class, name = "log"),
    @JsonSubTypes.Type(value = Loss.CrossEntropy.class, name = "crossentropy")
})
public sealed interface Loss extends java.io.Serializable {

  /** The task this loss trains for. */
  Task task();

  /** Loss of one example; writes {@code dLoss/dz} to {@code delta[doff..doff+k)}. */
  double lossAndDelta(float[] z, int off, int k, float label, float[] delta, int doff);

  /** Turns scores into predictions in place: identity, sigmoid or softmax. */
  void link(float[] z, int off, int k);

  /** Half the squared error, {@code (z - y)^2 / 2}, for regression. */
  record SquaredError() implements Loss {
    public Task task() {
      return Task.REGRESSION;
    }

    public double lossAndDelta(float[] z, int off, int k, float label, float[] delta, int doff) {
      double r = (double) z[off] - label;
      delta[doff] = (float) r;
      return 0.5 * r * r;
    }

    public void link(float[] z, int off, int k) {
      // identity
    }
  }

  /** Huber's loss: quadratic within {@code delta} of the label, linear beyond (Huber, 1964). */
  record Huber(double delta) implements Loss {
    public Huber {
      if (!(delta > 0)) {
        throw new IllegalArgumentException("Huber delta must be positive, got " + delta);
      }
    }

    public Task task() {
      return Task.REGRESSION;
    }

    public double lossAndDelta(float[] z, int off, int k, float label, float[] d, int doff) {
      double r = (double) z[off] - label;
      double a = Math.abs(r);
      if (a <= delta) {
        d[doff] = (float) r;
        return 0.5 * r * r;
      }
      d[doff] = (float) (Math.signum(r) * delta);
      return delta * (a - 0.5 * delta);
    }

    public void link(float[] z, int off, int k) {
      // identity
    }
  }

  /** Binary log loss on one logit; the label is 0 or 1. */
  record LogLoss() implements Loss {
    public Task task() {
      return Task.BINARY;
    }

    public double lossAndDelta(float[] z, int off, int k, float label, float[] delta, int doff) {
      return io.sparkps.core.compute.Logistic.lossAndDelta(z[off], label, delta, doff);
    }

    public void link(float[] z, int off, int k) {
      z[off] = Activation.sigmoid(z[off]);
    }
  }

  /** Multiclass cross entropy on softmax logits; the label is the class index. */
  record CrossEntropy() implements Loss {
    public Task task() {
      return Task.MULTICLASS;
    }

    public double lossAndDelta(float[] z, int off, int k, float label, float[] delta, int doff) {
      int y = (int) label;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(z[off + j] - max);
      }
      double logSum = Math.log(sum) + max;
      for (int j = 0; j < k; j++) {
        double p = Math.exp(z[off + j] - logSum);
        delta[doff + j] = (float) (j == y ? p - 1 : p);
      }
      return logSum - z[off + y];
    }

    public void link(float[] z, int off, int k) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        double e = Math.exp(z[off + j] - max);
        z[off + j] = (float) e;
        sum += e;
      }
      for (int j = 0; j < k; j++) {
        z[off + j] = (float) (z[off + j] / sum);
      }
    }
  }
}
