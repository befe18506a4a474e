package io.sparkps.core.data;

import java.util.Arrays;

/**
 * Appends sparse rows and builds a {@link SparseBlock}: the one way loaders, scorers and tests
 * assemble CSR blocks. Arrays grow by doubling; {@link #build} hands out right-sized copies and
 * {@link #clear}s nothing, so call {@link #clear} to start the next block.
 */
public final class SparseBlockBuilder {
  private final int cols;
  private final int fieldCount;
  private int[] rowStart = new int[17];
  private int[] indices = new int[64];
  private float[] values = new float[64];
  private short[] fields;
  private float[] labels = new float[16];
  private int rows;

  /**
   * A builder of blocks {@code cols} wide; with {@code fieldCount > 0} every entry keeps its
   * field.
   */
  public SparseBlockBuilder(int cols, int fieldCount) {
    this.cols = cols;
    this.fieldCount = fieldCount;
    this.fields = fieldCount > 0 ? new short[64] : new short[0];
  }

  public int rows() {
    return rows;
  }

  public int nnz() {
    return rowStart[rows];
  }

  /** Appends a normalized row (ascending indices; {@link SparseRow#normalize}). */
  public void add(SparseRow row, float label) {
    int n = row.size();
    ensure(n);
    int e = rowStart[rows];
    for (int i = 0; i < n; i++) {
      indices[e + i] = row.index(i);
      values[e + i] = row.value(i);
      if (fieldCount > 0) {
        fields[e + i] = row.field(i);
      }
    }
    finishRow(e + n, label);
  }

  /** Appends a row from 0-based ascending indices and values, without fields. */
  public void add(int[] idx, float[] val, int n, int indexShift, float label) {
    ensure(n);
    int e = rowStart[rows];
    for (int i = 0; i < n; i++) {
      indices[e + i] = idx[i] + indexShift;
      values[e + i] = val[i];
    }
    finishRow(e + n, label);
  }

  /** Appends the non-zero entries of a dense row. */
  public void addDense(float[] x, int off, int width, float label) {
    int n = 0;
    for (int j = 0; j < width; j++) {
      n += x[off + j] != 0f ? 1 : 0;
    }
    ensure(n);
    int e = rowStart[rows];
    for (int j = 0; j < width; j++) {
      if (x[off + j] != 0f) {
        indices[e] = j;
        values[e++] = x[off + j];
      }
    }
    finishRow(e, label);
  }

  private void finishRow(int end, float label) {
    if (rows + 1 == labels.length) {
      labels = Arrays.copyOf(labels, 2 * labels.length);
    }
    if (rows + 2 > rowStart.length) {
      rowStart = Arrays.copyOf(rowStart, 2 * rowStart.length);
    }
    labels[rows] = label;
    rowStart[++rows] = end;
  }

  private void ensure(int more) {
    long need = (long) rowStart[rows] + more;
    if (need > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("a block of more than 2^31 sparse entries; use more "
          + "partitions (--workers)");
    }
    if (need > indices.length) {
      int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * indices.length));
      indices = Arrays.copyOf(indices, size);
      values = Arrays.copyOf(values, size);
      if (fieldCount > 0) {
        fields = Arrays.copyOf(fields, size);
      }
    }
  }

  /** The rows so far as a block (copies of the arrays, sized to fit). */
  public SparseBlock build() {
    int nnz = rowStart[rows];
    return new SparseBlock(rows, cols, Arrays.copyOf(rowStart, rows + 1),
        Arrays.copyOf(indices, nnz), Arrays.copyOf(values, nnz),
        Arrays.copyOf(labels, rows), fieldCount > 0 ? Arrays.copyOf(fields, nnz) : new short[0],
        fieldCount);
  }

  /** Forgets the rows. */
  public void clear() {
    rows = 0;
    rowStart[0] = 0;
  }
}
