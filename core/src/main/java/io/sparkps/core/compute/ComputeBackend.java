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
}
