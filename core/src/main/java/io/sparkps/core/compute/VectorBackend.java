package io.sparkps.core.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense-layer loops of {@link RowMajorBackend} with the JDK's Vector API
 * ({@code jdk.incubator.vector}): the dot product and {@code y += a x} in SIMD lanes with fused
 * multiply-add. Sums run in another order than {@link CpuBackend}'s, so results agree with it
 * to float rounding, not bit for bit. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; {@link ComputeBackends} checks that first.
 */
final class VectorBackend extends RowMajorBackend {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public String name() {
    return "vector";
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
