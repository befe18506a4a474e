package io.sparkps.ps.keyed;

/**
 * Lazy Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; the lazy
 * form of TensorFlow's {@code LazyAdamOptimizer}): only the keys a round pushes to update their
 * moments, and each key corrects the bias by its own step count {@code t}, the number of rounds
 * that pushed to it, not by the global round. With lazy L2:
 *
 * <pre>
 *   g = g + l2 * w;  t = t + 1
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 *
 * <p>Record: {@code width} weights, {@code width} first moments, {@code width} second moments,
 * then the step count as the raw bits of an int in one float slot.
 */
public record LazyAdam(double learningRate, double beta1, double beta2, double epsilon, double l2)
    implements SparseOptimizer {

  public LazyAdam {
    SparseOptimizer.positive("Adam learning rate", learningRate, "0.001 is the paper's default");
    decay("Adam beta1", beta1, "the paper's default is 0.9");
    decay("Adam beta2", beta2, "the paper's default is 0.999");
    SparseOptimizer.positive("Adam epsilon", epsilon, "it guards the division; use 1e-8");
    SparseOptimizer.nonNegative("Adam L2", l2, "use 0 for none");
  }

  /** Lazy Adam with the paper's beta1 0.9, beta2 0.999, epsilon 1e-8, and no L2. */
  public static LazyAdam of(double learningRate) {
    return new LazyAdam(learningRate, 0.9, 0.999, 1e-8, 0);
  }

  @Override
  public int recordFloats(int width) {
    return 3 * width + 1;
  }

  @Override
  public void create(float[] weights, int wOff, float[] record, int off, int width) {
    System.arraycopy(weights, wOff, record, off, width);
    java.util.Arrays.fill(record, off + width, off + 3 * width + 1, 0f);
  }

  /** The number of updates the record has had. */
  public static int steps(float[] record, int off, int width) {
    return Float.floatToRawIntBits(record[off + 3 * width]);
  }

  @Override
  public void update(float[] record, int off, float[] grad, int gOff, int width) {
    int t = steps(record, off, width) + 1;
    record[off + 3 * width] = Float.intBitsToFloat(t);
    double stepSize = learningRate / (1 - Math.pow(beta1, t));
    double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
    for (int i = 0; i < width; i++) {
      double w = record[off + i];
      double g = grad[gOff + i] + l2 * w;
      double m = beta1 * record[off + width + i] + (1 - beta1) * g;
      double v = beta2 * record[off + 2 * width + i] + (1 - beta2) * g * g;
      record[off + width + i] = (float) m;
      record[off + 2 * width + i] = (float) v;
      record[off + i] = (float) (w - stepSize * m / (Math.sqrt(v) / sqrtCorrection2 + epsilon));
    }
  }

  @Override
  public void weights(float[] record, int off, int width, float[] out, int outOff) {
    System.arraycopy(record, off, out, outOff, width);
  }

  private static void decay(String name, double value, String fix) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + value + "; " + fix);
    }
  }
}
