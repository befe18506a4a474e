package io.sparkps.ps.keyed;

/**
 * The arithmetic of one {@link SparseAdaGrad} step on a record: in double precision, coordinate
 * by coordinate ({@link #SCALAR}), or in double lanes of the Vector API where the JVM has
 * {@code jdk.incubator.vector} ({@code VectorAdaGrad}, loaded by name so that this class links
 * without the module). Each lane computes the scalar expression's operations in the same order
 * (no fused multiply-add), and every one of them (float to double, multiply, add, divide,
 * square root, double to float) is correctly rounded in both, so the floats are the same bit
 * for bit (the test checks it).
 */
interface AdaGradKernel {

  /** The step of {@link SparseAdaGrad#update} with its parameters. */
  void update(float[] record, int off, float[] grad, int gOff, int width, double lr, double l2,
      double eps);

  /** One coordinate at a time. */
  AdaGradKernel SCALAR = (record, off, grad, gOff, width, lr, l2, eps) ->
      scalar(record, off, grad, gOff, 0, width, width, lr, l2, eps);

  /** The Vector API kernel where the JVM has the module, else {@link #SCALAR}. */
  static AdaGradKernel best() {
    if (!io.sparkps.core.compute.ComputeBackends.vectorAvailable()) {
      return SCALAR;
    }
    try {
      return (AdaGradKernel) Class.forName("io.sparkps.ps.keyed.VectorAdaGrad")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return SCALAR;
    }
  }

  /** Coordinates {@code [from, to)} of a record of rows of {@code width}, one at a time. */
  static void scalar(float[] record, int off, float[] grad, int gOff, int from, int to,
      int width, double lr, double l2, double eps) {
    for (int i = from; i < to; i++) {
      double w = record[off + i];
      double g = grad[gOff + i] + l2 * w;
      double s = record[off + width + i] + g * g;
      record[off + width + i] = (float) s;
      record[off + i] = (float) (w - lr * g / (Math.sqrt(s) + eps));
    }
  }
}
