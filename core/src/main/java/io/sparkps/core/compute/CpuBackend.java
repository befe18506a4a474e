package io.sparkps.core.compute;

/**
 * The default backend: plain Java loops on the CPU. The three loops of a dense layer over a
 * row-major minibatch, with weights stored {@code in x out} row-major. Inner loops run over contiguous memory with no branches so that
 * C2's superword pass vectorizes them; a one-output layer (logistic, linear) gets dot-product
 * forms instead of loops of length one. Sums within a row accumulate in float, over at most a
 * layer's width; loss sums accumulate in double in the caller.
 */
public final class CpuBackend implements ComputeBackend {
  /** The one instance; the backend holds no state. */
  public static final CpuBackend INSTANCE = new CpuBackend();

  private CpuBackend() {
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void affine(float[] x, int xOff, int n, int in, float[] p, int wOff, int bOff, int out,
      float[] z) {
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
  public void accumulateWeightGradient(float[] x, int xOff, int n, int in, float[] delta, int out,
      float[] g, int wOff, int bOff) {
    if (out == 1) {
      float db = 0f;
      for (int i = 0; i < n; i++) {
        float d = delta[i];
        db += d;
        axpy(d, x, xOff + i * in, g, wOff, in);
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
      for (int j = 0; j < out; j++) {
        g[bOff + j] += delta[di + j];
      }
    }
  }

  @Override
  public void backpropDelta(float[] delta, int n, int out, float[] p, int wOff, int in,
      float[] prev) {
    for (int i = 0; i < n; i++) {
      int di = i * out;
      int pi = i * in;
      for (int k = 0; k < in; k++) {
        prev[pi + k] = dot(delta, di, p, wOff + k * out, out);
      }
    }
  }

  static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += a[aOff + i] * b[bOff + i];
      s1 += a[aOff + i + 1] * b[bOff + i + 1];
      s2 += a[aOff + i + 2] * b[bOff + i + 2];
      s3 += a[aOff + i + 3] * b[bOff + i + 3];
    }
    for (; i < len; i++) {
      s0 += a[aOff + i] * b[bOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code y[yOff..yOff+len) += a * x[xOff..xOff+len)}. */
  static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len) {
    for (int j = 0; j < len; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }
}
