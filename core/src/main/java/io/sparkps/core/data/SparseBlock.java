package io.sparkps.core.data;

import java.util.Arrays;

/**
 * A block of sparse examples in compressed sparse row (CSR) form: row {@code i} holds the
 * entries {@code [rowStart[i], rowStart[i+1])} of {@code indices} and {@code values}, with
 * strictly ascending indices in {@code [0, cols)}. Optionally each entry names the input field it
 * came from ({@code fields}, one per entry, or empty), which models with one embedding per field
 * (wide and deep) read; {@code fieldCount} is then the number of fields.
 *
 * <p>The arrays are held, not copied. The constructor checks the structure in O(rows + nnz), so a
 * block that exists is well formed: every consumer may index without bounds checks of its own.
 *
 * @param rows number of examples
 * @param cols index bound (the hashed feature space, or the LibSVM dimension)
 * @param rowStart {@code rows + 1} offsets into {@code indices}, starting at 0, non-decreasing
 * @param indices feature indices, ascending and unique within each row
 * @param values feature values, one per index
 * @param labels one label per row
 * @param fields the field of each entry, or an empty array when entries carry none
 * @param fieldCount the number of fields ({@code 0} when {@code fields} is empty)
 */
public record SparseBlock(int rows, int cols, int[] rowStart, int[] indices, float[] values,
    float[] labels, short[] fields, int fieldCount) implements Block {

  public SparseBlock {
    if (rows < 0 || cols < 1) {
      throw new IllegalArgumentException("a sparse block needs rows >= 0 and cols >= 1, got "
          + rows + " x " + cols);
    }
    if (rowStart.length != rows + 1 || rowStart[0] != 0 || labels.length < rows) {
      throw new IllegalArgumentException("a sparse block of " + rows + " rows needs " + (rows + 1)
          + " row offsets starting at 0 and " + rows + " labels, got " + rowStart.length
          + " offsets and " + labels.length + " labels");
    }
    int nnz = rowStart[rows];
    if (indices.length < nnz || values.length < nnz) {
      throw new IllegalArgumentException("a sparse block with " + nnz + " entries got "
          + indices.length + " indices and " + values.length + " values");
    }
    if (fields.length != 0 && (fields.length < nnz || fieldCount < 1)) {
      throw new IllegalArgumentException("fields must name one field per entry (" + nnz
          + ") with fieldCount >= 1, got " + fields.length + " fields and fieldCount "
          + fieldCount);
    }
    checkRows(rows, cols, rowStart, indices, fields, fieldCount);
  }

  private static void checkRows(int rows, int cols, int[] rowStart, int[] indices,
      short[] fields, int fieldCount) {
    for (int i = 0; i < rows; i++) {
      int from = rowStart[i];
      int to = rowStart[i + 1];
      if (to < from) {
        throw new IllegalArgumentException("row offsets must not decrease, row " + i + " has ["
            + from + ", " + to + ")");
      }
      int prev = -1;
      for (int e = from; e < to; e++) {
        int j = indices[e];
        if (j <= prev || j >= cols) {
          throw new IllegalArgumentException("row " + i + " has index " + j + " after " + prev
              + "; indices must ascend strictly within [0, " + cols + ")");
        }
        if (fields.length != 0 && (fields[e] < 0 || fields[e] >= fieldCount)) {
          throw new IllegalArgumentException("row " + i + " names field " + fields[e]
              + " outside [0, " + fieldCount + ")");
        }
        prev = j;
      }
    }
  }

  /** A block without field annotations. */
  public static SparseBlock of(int rows, int cols, int[] rowStart, int[] indices, float[] values,
      float[] labels) {
    return new SparseBlock(rows, cols, rowStart, indices, values, labels, new short[0], 0);
  }

  /** Number of stored entries. */
  public int nnz() {
    return rowStart[rows];
  }

  public boolean hasFields() {
    return fields.length != 0;
  }

  @Override
  public SparseBlock select(int[] rowIndices) {
    int n = rowIndices.length;
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      int r = rowIndices[i];
      if (r < 0 || r >= rows) {
        throw new IndexOutOfBoundsException("row " + r + " outside a block of " + rows);
      }
      start[i + 1] = start[i] + rowStart[r + 1] - rowStart[r];
    }
    int[] idx = new int[start[n]];
    float[] val = new float[start[n]];
    short[] fld = hasFields() ? new short[start[n]] : new short[0];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int r = rowIndices[i];
      int len = rowStart[r + 1] - rowStart[r];
      System.arraycopy(indices, rowStart[r], idx, start[i], len);
      System.arraycopy(values, rowStart[r], val, start[i], len);
      if (hasFields()) {
        System.arraycopy(fields, rowStart[r], fld, start[i], len);
      }
      y[i] = labels[r];
    }
    return new SparseBlock(n, cols, start, idx, val, y, fld, fieldCount);
  }

  /**
   * The rows as a dense row-major block, for models that read dense inputs; refuses a width whose
   * dense form would not fit in memory ({@code rows * cols} above 2^31 - 8 floats).
   */
  public ExampleBlock toDense() {
    long size = (long) rows * cols;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a dense copy of " + rows + " x " + cols
          + " sparse rows needs " + size + " floats, more than an array holds; use a sparse "
          + "model (logistic, linear, softmax, fm, wide-deep) for high-dimensional data");
    }
    float[] x = new float[(int) size];
    for (int i = 0; i < rows; i++) {
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        x[i * cols + indices[e]] = values[e];
      }
    }
    return new ExampleBlock(rows, cols, x, Arrays.copyOf(labels, rows));
  }

  /**
   * Appends blocks of width {@code cols} into one, in order; with {@code fieldCount > 0} every
   * block must carry fields, and the result does.
   */
  public static SparseBlock concat(java.util.List<SparseBlock> blocks, int cols, int fieldCount) {
    int rows = 0;
    long nnz = 0;
    boolean withFields = fieldCount > 0;
    for (SparseBlock b : blocks) {
      rows += b.rows;
      nnz += b.nnz();
      if (withFields && !b.hasFields() && b.nnz() > 0) {
        throw new IllegalArgumentException("a block without fields among blocks with "
            + fieldCount + " fields");
      }
    }
    if (nnz > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a partition of " + nnz + " sparse entries is too large "
          + "for one block; use more partitions (--workers)");
    }
    int[] start = new int[rows + 1];
    int[] idx = new int[(int) nnz];
    float[] val = new float[(int) nnz];
    short[] fld = withFields ? new short[(int) nnz] : new short[0];
    float[] y = new float[rows];
    int r = 0;
    int e = 0;
    for (SparseBlock b : blocks) {
      int n = b.nnz();
      System.arraycopy(b.indices, 0, idx, e, n);
      System.arraycopy(b.values, 0, val, e, n);
      if (withFields && b.hasFields()) {
        System.arraycopy(b.fields, 0, fld, e, n);
      }
      System.arraycopy(b.labels, 0, y, r, b.rows);
      for (int i = 0; i < b.rows; i++) {
        start[r + i + 1] = e + b.rowStart[i + 1];
      }
      r += b.rows;
      e += n;
    }
    return new SparseBlock(rows, cols, start, idx, val, y, fld, fieldCount);
  }
}
