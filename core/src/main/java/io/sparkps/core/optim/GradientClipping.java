package io.sparkps.core.optim;

/**
 * Gradient clipping by global L2 norm (Pascanu, Mikolov and Bengio, "On the difficulty of
 * training recurrent neural networks", ICML 2013), as PyTorch's {@code clip_grad_norm_}: a
 * gradient longer than {@code maxNorm} is scaled down to length {@code maxNorm}, its direction
 * kept. Applied to the mean gradient of an update, before {@link Optimizer#step}.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * Scales {@code grad} in place so its L2 norm is at most {@code maxNorm}, and returns its norm
   * before clipping (accumulated in double). {@code maxNorm} 0 means no clipping: the norm is
   * returned and {@code grad} is left as it is.
   *
   * @throws IllegalArgumentException if {@code maxNorm} is negative or not finite, or if the
   *     norm is NaN or infinite (the gradient holds NaN or infinity, or overflows)
   */
  public static double clipByNorm(float[] grad, double maxNorm) {
    Checks.nonNegative("maxNorm", maxNorm, "use 0 for no clipping, or a limit such as 1.0");
    double sumOfSquares = 0;
    for (float g : grad) {
      sumOfSquares += (double) g * g;
    }
    double norm = Math.sqrt(sumOfSquares);
    if (!Double.isFinite(norm)) {
      throw new IllegalArgumentException(
          "Gradient norm is " + norm + " (not finite) for a gradient of " + grad.length
              + " values; training has diverged or the data holds NaN or infinity: lower the"
              + " learning rate, or check the input rows");
    }
    if (maxNorm > 0 && norm > maxNorm) {
      double scale = maxNorm / norm;
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) (grad[i] * scale);
      }
    }
    return norm;
  }
}
