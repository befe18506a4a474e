package io.sparkps.core.data;

/**
 * A dense, row-major block of examples: {@code rows x cols} features and one label per row (the
 * target for regression, 0 or 1 for binary, the class index for multiclass). The arrays are held,
 * not copied; a block is what a worker caches per partition and what every kernel reads.
 */
public record ExampleBlock(int rows, int cols, float[] features, float[] labels)
    implements Block {

  public ExampleBlock {
    if (rows < 0 || cols < 1) {
      throw new IllegalArgumentException("a block needs rows >= 0 and cols >= 1, got " + rows
          + " x " + cols);
    }
    if (features.length < (long) rows * cols || labels.length < rows) {
      throw new IllegalArgumentException("block of " + rows + " x " + cols + " needs "
          + (long) rows * cols + " features and " + rows + " labels, got " + features.length
          + " and " + labels.length);
    }
  }

  public float feature(int row, int col) {
    return features[row * cols + col];
  }

  @Override
  public ExampleBlock select(int[] rowIndices) {
    float[] f = new float[rowIndices.length * cols];
    float[] y = new float[rowIndices.length];
    for (int i = 0; i < rowIndices.length; i++) {
      int r = rowIndices[i];
      System.arraycopy(features, r * cols, f, i * cols, cols);
      y[i] = labels[r];
    }
    return new ExampleBlock(rowIndices.length, cols, f, y);
  }
}
