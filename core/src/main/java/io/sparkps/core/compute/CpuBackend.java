package io.sparkps.core.compute;

/**
 * The default backend: the dense-layer loops of {@link RowMajorBackend} in plain Java, written
 * so that C2's superword pass can vectorize the {@code y += a x} loop; the dot product keeps four
 * partial sums.
 */
public final class CpuBackend extends RowMajorBackend {
  /** The one instance; the backend holds no state. */
  public static final CpuBackend INSTANCE = new CpuBackend();

  private CpuBackend() {
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  float dot(float[] a, int aOff, float[] b, int bOff, int len) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += a[aOff + i] * b[bOff + i];
      s1 += a[aOff + i + 1] * b[bOff + i + 1];
      s2 += a[aOff + i + 2] * b[bOff + i + 2];
      s3 += a[aOff + i + 3] * b[bOff + i + 3];
    }
    for (; i < len; i++) {
      s0 += a[aOff + i] * b[bOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  void axpy(float a, float[] x, int xOff, float[] y, int yOff, int len) {
    for (int j = 0; j < len; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }
}
