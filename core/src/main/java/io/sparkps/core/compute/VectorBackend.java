package io.sparkps.core.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense-layer loops with the JDK's Vector API ({@code jdk.incubator.vector}): the same
 * row-major loops as {@link CpuBackend}, with the inner multiply-adds and dot products in SIMD
 * lanes (fused multiply-add). Sums run in another order than the scalar loops, so results agree
 * with them to float rounding, not bit for bit. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; {@link ComputeBackends} checks that first.
 */
final class VectorBackend implements ComputeBackend {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public String name() {
    return "vector";
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

  private static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; i < len; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /** {@code y[yOff..yOff+len) += a * x[xOff..xOff+len)}. */
  private static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len) {
    FloatVector va = FloatVector.broadcast(S, a);
    int j = 0;
    for (int bound = S.loopBound(len); j < bound; j += S.length()) {
      FloatVector.fromArray(S, x, xOff + j).fma(va, FloatVector.fromArray(S, y, yOff + j))
          .intoArray(y, yOff + j);
    }
    for (; j < len; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }
}
