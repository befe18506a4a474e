package io.sparkps.ps.keyed;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AdaGradKernel} in double lanes of the Vector API: as many coordinates of a row at once
 * as the machine's preferred double vector holds (8 with AVX-512), the rest one at a time.
 * Loaded by name only where the JVM has {@code jdk.incubator.vector}.
 */
final class VectorAdaGrad implements AdaGradKernel {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
      VectorShape.forBitSize(D.length() * Float.SIZE));

  @Override
  public void update(float[] record, int off, float[] grad, int gOff, int width, double lr,
      double l2, double eps) {
    int n = D.length();
    int i = 0;
    for (; i + n <= width; i += n) {
      DoubleVector w = (DoubleVector) FloatVector.fromArray(F, record, off + i)
          .convertShape(VectorOperators.F2D, D, 0);
      DoubleVector g = ((DoubleVector) FloatVector.fromArray(F, grad, gOff + i)
          .convertShape(VectorOperators.F2D, D, 0)).add(w.mul(l2));
      DoubleVector s = ((DoubleVector) FloatVector.fromArray(F, record, off + width + i)
          .convertShape(VectorOperators.F2D, D, 0)).add(g.mul(g));
      ((FloatVector) s.convertShape(VectorOperators.D2F, F, 0)).intoArray(record,
          off + width + i);
      ((FloatVector) w.sub(g.mul(lr).div(s.sqrt().add(eps)))
          .convertShape(VectorOperators.D2F, F, 0)).intoArray(record, off + i);
    }
    AdaGradKernel.scalar(record, off, grad, gOff, i, width, width, lr, l2, eps);
  }
}
