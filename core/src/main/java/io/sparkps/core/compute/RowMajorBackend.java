package io.sparkps.core.compute;

/**
 * The three loops of a dense layer over a row-major minibatch, with weights stored
 * {@code in x out} row-major, written once over two primitives that subclasses supply: a dot
 * product and {@code y += a x}. Inner loops run over contiguous memory; a one-output layer
 * (logistic, linear) gets dot-product forms instead of loops of length one, and zero inputs
 * (one-hot and sparse features) are skipped. Sums within a row accumulate in float, over at
 * most a layer's width; loss sums accumulate in double in the caller.
 */
abstract class RowMajorBackend implements ComputeBackend {

  /** {@code sum_i a[aOff + i] * b[bOff + i]} for {@code i < len}. */
  abstract float dot(float[] a, int aOff, float[] b, int bOff, int len);

  /** {@code y[yOff..yOff+len) += a * x[xOff..xOff+len)}. */
  abstract void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len);

  @Override
  public void affine(float[] x, int xOff, int n, int in, float[] p, int wOff, int bOff,
      int out, float[] z) {
    if (out == 1) {
      float bias = p[bOff];
      for (int i = 0; i < n; i++) {
        z[i] = bias + dot(x, xOff + i * in, p, wOff, in);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      int zi = i * out;
      System.arraycopy(p, bOff, z, zi, out);
      int xi = xOff + i * in;
      for (int k = 0; k < in; k++) {
        float a = x[xi + k];
        if (a != 0f) {
          axpy(a, p, wOff + k * out, z, zi, out);
        }
      }
    }
  }

  @Override
  public void accumulateWeightGradient(float[] x, int xOff, int n, int in, float[] delta,
      int out, float[] g, int wOff, int bOff) {
    if (out == 1) {
      float db = 0f;
      for (int i = 0; i < n; i++) {
        db += delta[i];
        axpy(delta[i], x, xOff + i * in, g, wOff, in);
      }
      g[bOff] += db;
      return;
    }
    for (int i = 0; i < n; i++) {
      int di = i * out;
      int xi = xOff + i * in;
      for (int k = 0; k < in; k++) {
        float a = x[xi + k];
        if (a != 0f) {
          axpy(a, delta, di, g, wOff + k * out, out);
        }
      }
      axpy(1f, delta, di, g, bOff, out);
    }
  }

  @Override
  public void backpropDelta(float[] delta, int n, int out, float[] p, int wOff, int in,
      float[] prev) {
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < in; k++) {
        prev[i * in + k] = dot(delta, i * out, p, wOff + k * out, out);
      }
    }
  }
}
