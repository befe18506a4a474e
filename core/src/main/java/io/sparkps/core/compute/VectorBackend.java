package io.sparkps.core.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense-layer loops with the JDK's Vector API ({@code jdk.incubator.vector}) and fused
 * multiply-add. Layers at least {@code 4 x lanes} wide (32 columns with AVX2) run register-tiled
 * kernels: two rows by four vectors of output columns stay in registers across the whole inner
 * dimension, so each weight vector loaded feeds two multiply-adds and no partial sum goes back
 * to memory until the end (the plain {@code y += a x} loop loads and stores its output for
 * every input). The weight gradient tiles two weight rows the same way, and the delta one layer
 * down runs as the same tiled product against the transposed weights. Narrower layers and the
 * columns left over fall back to {@link RowMajorBackend}'s dot and axpy loops. One-output layers
 * (logistic, linear) take {@link VectorOneOutput}'s kernels.
 *
 * <p>Sums run in another order than {@link CpuBackend}'s, so results agree with it to float
 * rounding, not bit for bit. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; {@link ComputeBackends} checks that first.
 */
final class VectorBackend extends RowMajorBackend {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Output columns of one register tile. */
  private static final int TILE = 4 * L;
  /** Scratch for transposed weights, per thread (tasks share a backend). */
  private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() ->
      new float[0]);

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void affine(float[] x, int xOff, int n, int in, float[] p, int wOff, int bOff, int out,
      float[] z) {
    if (out == 1 && in >= L) {
      VectorOneOutput.affine(x, xOff, n, in, p, wOff, bOff, z);
      return;
    }
    if (out < TILE) {
      super.affine(x, xOff, n, in, p, wOff, bOff, out, z);
      return;
    }
    int tiled = out / TILE * TILE;
    for (int c = 0; c < tiled; c += TILE) {
      tile(x, xOff, n, in, p, wOff, out, p, bOff + c, z, c);
    }
    if (tiled < out) {
      for (int i = 0; i < n; i++) {
        int zi = i * out;
        System.arraycopy(p, bOff + tiled, z, zi + tiled, out - tiled);
        int xi = xOff + i * in;
        for (int k = 0; k < in; k++) {
          float a = x[xi + k];
          if (a != 0f) {
            axpy(a, p, wOff + k * out + tiled, z, zi + tiled, out - tiled);
          }
        }
      }
    }
  }

  /**
   * {@code z[i, c..c+TILE) = init + sum_k x[i, k] W[k, c..c+TILE)} for all {@code n} rows, with
   * {@code W} at {@code w} ({@code in x ldw}) and {@code init} the bias at {@code b[bOff..]} (or
   * zeros when {@code b} is null).
   */
  private static void tile(float[] x, int xOff, int n, int in, float[] w, int wOff, int ldw,
      float[] b, int bOff, float[] z, int c) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector i0 = b == null ? zero : FloatVector.fromArray(S, b, bOff);
    FloatVector i1 = b == null ? zero : FloatVector.fromArray(S, b, bOff + L);
    FloatVector i2 = b == null ? zero : FloatVector.fromArray(S, b, bOff + 2 * L);
    FloatVector i3 = b == null ? zero : FloatVector.fromArray(S, b, bOff + 3 * L);
    int i = 0;
    for (; i + 1 < n; i += 2) {
      int x0 = xOff + i * in;
      int x1 = x0 + in;
      FloatVector a0 = i0;
      FloatVector a1 = i1;
      FloatVector a2 = i2;
      FloatVector a3 = i3;
      FloatVector b0 = i0;
      FloatVector b1 = i1;
      FloatVector b2 = i2;
      FloatVector b3 = i3;
      for (int k = 0; k < in; k++) {
        int wk = wOff + k * ldw + c;
        FloatVector w0 = FloatVector.fromArray(S, w, wk);
        FloatVector w1 = FloatVector.fromArray(S, w, wk + L);
        FloatVector w2 = FloatVector.fromArray(S, w, wk + 2 * L);
        FloatVector w3 = FloatVector.fromArray(S, w, wk + 3 * L);
        FloatVector u = FloatVector.broadcast(S, x[x0 + k]);
        FloatVector v = FloatVector.broadcast(S, x[x1 + k]);
        a0 = w0.fma(u, a0);
        a1 = w1.fma(u, a1);
        a2 = w2.fma(u, a2);
        a3 = w3.fma(u, a3);
        b0 = w0.fma(v, b0);
        b1 = w1.fma(v, b1);
        b2 = w2.fma(v, b2);
        b3 = w3.fma(v, b3);
      }
      int z0 = i * ldw + c;
      int z1 = z0 + ldw;
      a0.intoArray(z, z0);
      a1.intoArray(z, z0 + L);
      a2.intoArray(z, z0 + 2 * L);
      a3.intoArray(z, z0 + 3 * L);
      b0.intoArray(z, z1);
      b1.intoArray(z, z1 + L);
      b2.intoArray(z, z1 + 2 * L);
      b3.intoArray(z, z1 + 3 * L);
    }
    if (i < n) {
      int x0 = xOff + i * in;
      FloatVector a0 = i0;
      FloatVector a1 = i1;
      FloatVector a2 = i2;
      FloatVector a3 = i3;
      for (int k = 0; k < in; k++) {
        int wk = wOff + k * ldw + c;
        FloatVector u = FloatVector.broadcast(S, x[x0 + k]);
        a0 = FloatVector.fromArray(S, w, wk).fma(u, a0);
        a1 = FloatVector.fromArray(S, w, wk + L).fma(u, a1);
        a2 = FloatVector.fromArray(S, w, wk + 2 * L).fma(u, a2);
        a3 = FloatVector.fromArray(S, w, wk + 3 * L).fma(u, a3);
      }
      int z0 = i * ldw + c;
      a0.intoArray(z, z0);
      a1.intoArray(z, z0 + L);
      a2.intoArray(z, z0 + 2 * L);
      a3.intoArray(z, z0 + 3 * L);
    }
  }

  @Override
  public void accumulateWeightGradient(float[] x, int xOff, int n, int in, float[] delta,
      int out, float[] g, int wOff, int bOff) {
    if (out == 1 && in >= L) {
      VectorOneOutput.gradient(x, xOff, n, in, delta, g, wOff, bOff);
      return;
    }
    if (out < TILE) {
      super.accumulateWeightGradient(x, xOff, n, in, delta, out, g, wOff, bOff);
      return;
    }
    int tiled = out / TILE * TILE;
    for (int c = 0; c < tiled; c += TILE) {
      int k = 0;
      for (; k + 1 < in; k += 2) {
        int g0 = wOff + k * out + c;
        int g1 = g0 + out;
        FloatVector a0 = FloatVector.fromArray(S, g, g0);
        FloatVector a1 = FloatVector.fromArray(S, g, g0 + L);
        FloatVector a2 = FloatVector.fromArray(S, g, g0 + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, g, g0 + 3 * L);
        FloatVector b0 = FloatVector.fromArray(S, g, g1);
        FloatVector b1 = FloatVector.fromArray(S, g, g1 + L);
        FloatVector b2 = FloatVector.fromArray(S, g, g1 + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, g, g1 + 3 * L);
        for (int i = 0; i < n; i++) {
          int di = i * out + c;
          FloatVector d0 = FloatVector.fromArray(S, delta, di);
          FloatVector d1 = FloatVector.fromArray(S, delta, di + L);
          FloatVector d2 = FloatVector.fromArray(S, delta, di + 2 * L);
          FloatVector d3 = FloatVector.fromArray(S, delta, di + 3 * L);
          int xi = xOff + i * in + k;
          FloatVector u = FloatVector.broadcast(S, x[xi]);
          FloatVector v = FloatVector.broadcast(S, x[xi + 1]);
          a0 = d0.fma(u, a0);
          a1 = d1.fma(u, a1);
          a2 = d2.fma(u, a2);
          a3 = d3.fma(u, a3);
          b0 = d0.fma(v, b0);
          b1 = d1.fma(v, b1);
          b2 = d2.fma(v, b2);
          b3 = d3.fma(v, b3);
        }
        a0.intoArray(g, g0);
        a1.intoArray(g, g0 + L);
        a2.intoArray(g, g0 + 2 * L);
        a3.intoArray(g, g0 + 3 * L);
        b0.intoArray(g, g1);
        b1.intoArray(g, g1 + L);
        b2.intoArray(g, g1 + 2 * L);
        b3.intoArray(g, g1 + 3 * L);
      }
      if (k < in) {
        int g0 = wOff + k * out + c;
        FloatVector a0 = FloatVector.fromArray(S, g, g0);
        FloatVector a1 = FloatVector.fromArray(S, g, g0 + L);
        FloatVector a2 = FloatVector.fromArray(S, g, g0 + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, g, g0 + 3 * L);
        for (int i = 0; i < n; i++) {
          int di = i * out + c;
          FloatVector u = FloatVector.broadcast(S, x[xOff + i * in + k]);
          a0 = FloatVector.fromArray(S, delta, di).fma(u, a0);
          a1 = FloatVector.fromArray(S, delta, di + L).fma(u, a1);
          a2 = FloatVector.fromArray(S, delta, di + 2 * L).fma(u, a2);
          a3 = FloatVector.fromArray(S, delta, di + 3 * L).fma(u, a3);
        }
        a0.intoArray(g, g0);
        a1.intoArray(g, g0 + L);
        a2.intoArray(g, g0 + 2 * L);
        a3.intoArray(g, g0 + 3 * L);
      }
    }
    for (int i = 0; i < n; i++) {
      int di = i * out;
      if (tiled < out) {
        int xi = xOff + i * in;
        for (int k = 0; k < in; k++) {
          float a = x[xi + k];
          if (a != 0f) {
            axpy(a, delta, di + tiled, g, wOff + k * out + tiled, out - tiled);
          }
        }
      }
      axpy(1f, delta, di, g, bOff, out);
    }
  }

  @Override
  public void backpropDelta(float[] delta, int n, int out, float[] p, int wOff, int in,
      float[] prev) {
    if (in < TILE) {
      super.backpropDelta(delta, n, out, p, wOff, in, prev);
      return;
    }
    // prev = delta W^T: the tiled product against W^T (out x in), transposed once per call
    float[] t = TRANSPOSED.get();
    if (t.length < out * in) {
      t = new float[out * in];
      TRANSPOSED.set(t);
    }
    for (int k = 0; k < in; k++) {
      for (int j = 0; j < out; j++) {
        t[j * in + k] = p[wOff + k * out + j];
      }
    }
    int tiled = in / TILE * TILE;
    for (int c = 0; c < tiled; c += TILE) {
      tile(delta, 0, n, out, t, 0, in, null, 0, prev, c);
    }
    for (int i = 0; i < n; i++) {
      for (int k = tiled; k < in; k++) {
        prev[i * in + k] = dot(delta, i * out, p, wOff + k * out, out);
      }
    }
  }

  /**
   * The binary log loss a vector of logits at a time: {@code e = exp(-|s|)}, the loss {@code
   * max(s, 0) + log1p(e) - y s} and the delta {@code sigmoid(s) - y} with {@code sigmoid(s) = 1 /
   * (1 + e)} for {@code s >= 0} and {@code e / (1 + e)} below, in float through the Vector API's
   * {@code EXP} and {@code LOG1P} (an order of magnitude faster than {@code Math.exp} and {@code
   * Math.log1p} per row); each vector's losses are summed in double. The rows after the last
   * whole vector take {@link Logistic#lossAndDelta}.
   */
  @Override
  public double logLoss(float[] z, int n, float[] labels, int labelOff, float[] delta) {
    double sum = 0;
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector s = FloatVector.fromArray(S, z, i);
      FloatVector y = FloatVector.fromArray(S, labels, labelOff + i);
      FloatVector e = s.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector inv = one.div(one.add(e));
      FloatVector p = inv.blend(e.mul(inv), s.compare(VectorOperators.LT, 0f));
      p.sub(y).intoArray(delta, i);
      FloatVector loss = s.max(zero).add(e.lanewise(VectorOperators.LOG1P)).sub(y.mul(s));
      sum += loss.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      sum += Logistic.lossAndDelta(z[i], labels[labelOff + i], delta, i);
    }
    return sum;
  }

  @Override
  float dot(float[] a, int aOff, float[] b, int bOff, int len) {
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

  @Override
  void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len) {
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
