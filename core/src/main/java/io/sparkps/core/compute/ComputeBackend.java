package io.sparkps.core.compute;

/**
 * Where the dense-layer arithmetic of a model runs. Weights are {@code in x out} row-major,
 * activations and deltas {@code n x width} row-major, all in float arrays with offsets.
 * {@link CpuBackend} is built in; other backends (a GPU one, say) are found with
 * {@link java.util.ServiceLoader} by {@link ComputeBackends#byName}.
 */
public interface ComputeBackend {

  /** The name a job selects this backend by. */
  String name();

  /** {@code z[i, :] = b + x[i, :] W} for {@code n} rows. */
  void affine(float[] x, int xOff, int n, int in, float[] p, int wOff, int bOff, int out,
      float[] z);

  /** {@code gW += x^T delta}, {@code gb += sum of delta rows}. */
  void accumulateWeightGradient(float[] x, int xOff, int n, int in, float[] delta, int out,
      float[] g, int wOff, int bOff);

  /** {@code prev[i, k] = sum_j delta[i, j] W[k, j]}: the delta one layer down, before f'. */
  void backpropDelta(float[] delta, int n, int out, float[] p, int wOff, int in, float[] prev);

  /**
   * The binary log loss of {@code n} logits {@code z[0..n)} against the 0/1 labels at {@code
   * labels[labelOff..]}: writes {@code delta[i] = sigmoid(z[i]) - y_i} and returns the summed
   * loss. The default is {@link Logistic#lossAndDelta} row by row.
   */
  default double logLoss(float[] z, int n, float[] labels, int labelOff, float[] delta) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Logistic.lossAndDelta(z[i], labels[labelOff + i], delta, i);
    }
    return sum;
  }
}
