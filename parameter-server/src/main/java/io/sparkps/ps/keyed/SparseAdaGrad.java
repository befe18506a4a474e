package io.sparkps.ps.keyed;

/**
 * AdaGrad per key (Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning
 * and Stochastic Optimization", JMLR 2011), with L2 folded into the gradient when the key is
 * pushed (lazy L2), as {@link io.sparkps.core.optim.AdaGrad} computes it with a zero initial
 * accumulator:
 *
 * <pre>
 *   g = g + l2 * w
 *   G = G + g * g
 *   w = w - lr * g / (sqrt(G) + epsilon)
 * </pre>
 *
 * <p>Each coordinate is computed in double and stored as float; where the JVM has
 * {@code jdk.incubator.vector} several coordinates at once, in double lanes, with the same
 * floats ({@link AdaGradKernel}).
 *
 * <p>Record: the {@code width} weights, then the {@code width} sums of squares {@code G}.
 */
public record SparseAdaGrad(double learningRate, double l2, double epsilon)
    implements SparseOptimizer {

  public SparseAdaGrad {
    SparseOptimizer.positive("AdaGrad learning rate", learningRate, "0.01 to 0.1 is usual");
    SparseOptimizer.nonNegative("AdaGrad L2", l2, "use 0 for none");
    SparseOptimizer.positive("AdaGrad epsilon", epsilon, "it guards the division; use 1e-10");
  }

  @Override
  public int recordFloats(int width) {
    return 2 * width;
  }

  @Override
  public void create(float[] weights, int wOff, float[] record, int off, int width) {
    System.arraycopy(weights, wOff, record, off, width);
    java.util.Arrays.fill(record, off + width, off + 2 * width, 0f);
  }

  @Override
  public void update(float[] record, int off, float[] grad, int gOff, int width) {
    Kernel.BEST.update(record, off, grad, gOff, width, learningRate, l2, epsilon);
  }

  /** The kernel this JVM steps with, chosen once ({@link AdaGradKernel#best}). */
  private static final class Kernel {
    static final AdaGradKernel BEST = AdaGradKernel.best();
  }

  @Override
  public void weights(float[] record, int off, int width, float[] out, int outOff) {
    System.arraycopy(record, off, out, outOff, width);
  }
}
