package io.sparkps.ps.keyed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API's AdaGrad step gives the scalar step's floats, bit for bit. */
class AdaGradKernelTest {

  @Test
  void vectorLanesGiveTheScalarFloats() {
    AdaGradKernel best = AdaGradKernel.best();
    assertEquals("VectorAdaGrad", best.getClass().getSimpleName(),
        "the tests run with jdk.incubator.vector, so the vector kernel is chosen");
    SplittableRandom r = new SplittableRandom(9);
    for (int width = 1; width <= 21; width++) {
      for (int trial = 0; trial < 50; trial++) {
        int off = r.nextInt(5) * 2 * width;
        float[] a = new float[off + 2 * width + 3];
        float[] grad = new float[width + 4];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-6, 4)));
        }
        for (int i = off + width; i < off + 2 * width; i++) {
          a[i] = Math.abs(a[i]) * (r.nextInt(8) == 0 ? 0 : 1); // sums of squares, some 0
        }
        for (int i = 0; i < grad.length; i++) {
          grad[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-8, 3)));
        }
        float[] b = a.clone();
        double l2 = trial % 2 == 0 ? 0 : 1e-3;
        AdaGradKernel.SCALAR.update(a, off, grad, 2, width, 0.05, l2, 1e-8);
        best.update(b, off, grad, 2, width, 0.05, l2, 1e-8);
        assertArrayEquals(a, b, "width " + width + ", trial " + trial);
      }
    }
  }
}
