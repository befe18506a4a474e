package io.sparkps.core.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorBackend}'s kernels for layers with one output (logistic and linear models, at
 * least one vector of inputs wide): the forward pass and the weight gradient, where the tiled
 * kernels, built for wide outputs, would fall back to scalar loops.
 */
final class VectorOneOutput {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Columns kept in registers at once by the gradient: four vectors. */
  private static final int TILE = 4 * L;

  private VectorOneOutput() {
  }

  /**
   * The weight gradient of a one-output layer (logistic, linear): {@code g[w + k] += sum_i
   * delta[i] x[i, k]}, up to four vectors of columns kept in registers over all rows (adding each
   * row into {@code g} in memory chains every row's update to the last one's store). The columns
   * after the last whole vector come from one more vector load that ends at the row's end; of its
   * lanes only those new columns are kept.
   */
  static void gradient(float[] x, int xOff, int n, int in, float[] delta,
      float[] g, int wOff, int bOff) {
    float db = 0f;
    for (int i = 0; i < n; i++) {
      db += delta[i];
    }
    g[bOff] += db;
    int vectors = in / L * L;
    int k = 0;
    for (; k + TILE <= vectors; k += TILE) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = FloatVector.zero(S);
      FloatVector a3 = FloatVector.zero(S);
      for (int i = 0; i < n; i++) {
        FloatVector d = FloatVector.broadcast(S, delta[i]);
        int xi = xOff + i * in + k;
        a0 = FloatVector.fromArray(S, x, xi).fma(d, a0);
        a1 = FloatVector.fromArray(S, x, xi + L).fma(d, a1);
        a2 = FloatVector.fromArray(S, x, xi + 2 * L).fma(d, a2);
        a3 = FloatVector.fromArray(S, x, xi + 3 * L).fma(d, a3);
      }
      addInto(a0, g, wOff + k);
      addInto(a1, g, wOff + k + L);
      addInto(a2, g, wOff + k + 2 * L);
      addInto(a3, g, wOff + k + 3 * L);
    }
    int rest = (vectors - k) / L; // 0 to 3 whole vectors left
    int tail = in - vectors; // 0 to L - 1 columns after them
    if (rest == 0 && tail == 0) {
      return;
    }
    int t = in - L; // the last L columns of a row
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector at = FloatVector.zero(S);
    for (int i = 0; i < n; i++) {
      FloatVector d = FloatVector.broadcast(S, delta[i]);
      int xi = xOff + i * in;
      if (rest > 0) {
        a0 = FloatVector.fromArray(S, x, xi + k).fma(d, a0);
      }
      if (rest > 1) {
        a1 = FloatVector.fromArray(S, x, xi + k + L).fma(d, a1);
      }
      if (rest > 2) {
        a2 = FloatVector.fromArray(S, x, xi + k + 2 * L).fma(d, a2);
      }
      if (tail > 0) {
        at = FloatVector.fromArray(S, x, xi + t).fma(d, at);
      }
    }
    if (rest > 0) {
      addInto(a0, g, wOff + k);
    }
    if (rest > 1) {
      addInto(a1, g, wOff + k + L);
    }
    if (rest > 2) {
      addInto(a2, g, wOff + k + 2 * L);
    }
    if (tail > 0) {
      float[] lanes = at.toArray();
      for (int j = L - tail; j < L; j++) {
        g[wOff + t + j] += lanes[j];
      }
    }
  }

  /**
   * {@code z[i] = b + x[i] . w} of a one-output layer: two vector accumulators per row, the
   * columns after the last whole vector from a vector load that ends at the row's end, against
   * the weights with the lanes already counted set to zero.
   */
  static void affine(float[] x, int xOff, int n, int in, float[] p, int wOff,
      int bOff, float[] z) {
    int vectors = in / L * L;
    int tail = in - vectors;
    int t = in - L;
    // the last L weights with the lanes of columns already counted set to zero
    FloatVector wt = FloatVector.zero(S);
    if (tail > 0) {
      VectorMask<Float> counted = VectorMask.fromLong(S, (1L << (L - tail)) - 1);
      wt = FloatVector.fromArray(S, p, wOff + t).blend(0f, counted);
    }
    float bias = p[bOff];
    for (int i = 0; i < n; i++) {
      int xi = xOff + i * in;
      FloatVector a = FloatVector.zero(S);
      FloatVector b = FloatVector.zero(S);
      int k = 0;
      for (; k + 2 * L <= vectors; k += 2 * L) {
        a = FloatVector.fromArray(S, x, xi + k).fma(FloatVector.fromArray(S, p, wOff + k), a);
        b = FloatVector.fromArray(S, x, xi + k + L).fma(
            FloatVector.fromArray(S, p, wOff + k + L), b);
      }
      if (k < vectors) {
        a = FloatVector.fromArray(S, x, xi + k).fma(FloatVector.fromArray(S, p, wOff + k), a);
      }
      if (tail > 0) {
        b = FloatVector.fromArray(S, x, xi + t).fma(wt, b);
      }
      z[i] = bias + a.add(b).reduceLanes(VectorOperators.ADD);
    }
  }

  private static void addInto(FloatVector v, float[] g, int off) {
    v.add(FloatVector.fromArray(S, g, off)).intoArray(g, off);
  }
}
