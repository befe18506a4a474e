package io.sparkps.bench.compare;

import java.util.Arrays;

/**
 * Sparse rows in compressed sparse row (CSR) form, as the sparse comparison prepares and every
 * trainer's JVM reads them ({@link CsrFile}): row {@code i} holds the column indices
 * {@code indices[offsets[i] .. offsets[i + 1])}, ascending and unique, with their values, and
 * for each non-zero the input field it came from (a column of the raw data; 0 where the data
 * has no fields, as LibSVM), so a model with one embedding per field can be fed from the same
 * rows.
 *
 * @param rows rows
 * @param cols columns (hash buckets, or LibSVM's feature count)
 * @param offsets {@code rows + 1} offsets into the non-zeros
 * @param indices column of each non-zero
 * @param values value of each non-zero
 * @param fields input field of each non-zero
 * @param labels label of each row (0 or 1)
 */
public record SparseRows(int rows, int cols, int[] offsets, int[] indices, float[] values,
    short[] fields, float[] labels) {

  public SparseRows {
    if (offsets.length != rows + 1 || labels.length != rows) {
      throw new IllegalArgumentException("sparse rows: " + rows + " rows need " + (rows + 1)
          + " offsets and " + rows + " labels, got " + offsets.length + " and " + labels.length);
    }
    int nnz = offsets[rows];
    if (indices.length < nnz || values.length < nnz || fields.length < nnz) {
      throw new IllegalArgumentException("sparse rows: " + nnz + " non-zeros, but arrays of "
          + indices.length + ", " + values.length + " and " + fields.length);
    }
  }

  /** Non-zeros in all rows. */
  public int nnz() {
    return offsets[rows];
  }

  /** Rows {@code [from, to)}, copied. */
  public SparseRows range(int from, int to) {
    int a = offsets[from];
    int b = offsets[to];
    int[] off = new int[to - from + 1];
    for (int i = from; i <= to; i++) {
      off[i - from] = offsets[i] - a;
    }
    return new SparseRows(to - from, cols, off, Arrays.copyOfRange(indices, a, b),
        Arrays.copyOfRange(values, a, b), Arrays.copyOfRange(fields, a, b),
        Arrays.copyOfRange(labels, from, to));
  }

  /** The {@code p}-th of {@code parts} contiguous, near-equal parts. */
  public SparseRows part(int p, int parts) {
    long n = rows;
    return range((int) (n * p / parts), (int) (n * (p + 1) / parts));
  }

  /** The rows of {@code blocks} one after another. */
  public static SparseRows concat(SparseRows... blocks) {
    Builder b = new Builder(blocks[0].cols());
    for (SparseRows s : blocks) {
      for (int i = 0; i < s.rows(); i++) {
        for (int k = s.offsets()[i]; k < s.offsets()[i + 1]; k++) {
          b.put(s.indices()[k], s.values()[k], s.fields()[k]);
        }
        b.endRow(s.labels()[i]);
      }
    }
    return b.build();
  }

  /**
   * Builds rows one at a time: {@link #put} the non-zeros of a row in any order, then
   * {@link #endRow}; entries of one row that share a column are summed (as hashing collisions
   * are by Spark's {@code FeatureHasher}), and the field of the first is kept; a sum of exactly
   * zero is dropped.
   */
  public static final class Builder {
    private final int cols;
    private int rows;
    private int[] offsets = new int[1024];
    private int[] indices = new int[4096];
    private float[] values = new float[4096];
    private short[] fields = new short[4096];
    private float[] labels = new float[1024];
    private int nnz;
    private int rowStart;

    public Builder(int cols) {
      this.cols = cols;
    }

    /** Adds a non-zero to the current row. */
    public void put(int index, double value, int field) {
      if (index < 0 || index >= cols) {
        throw new IllegalArgumentException("column " + index + " is outside 0.." + (cols - 1));
      }
      if (nnz == indices.length) {
        int n = indices.length * 2;
        indices = Arrays.copyOf(indices, n);
        values = Arrays.copyOf(values, n);
        fields = Arrays.copyOf(fields, n);
      }
      // insertion keeps the row sorted: rows are short (tens of non-zeros)
      int k = nnz;
      while (k > rowStart && indices[k - 1] > index) {
        k--;
      }
      if (k > rowStart && indices[k - 1] == index) {
        values[k - 1] += (float) value;
        return;
      }
      System.arraycopy(indices, k, indices, k + 1, nnz - k);
      System.arraycopy(values, k, values, k + 1, nnz - k);
      System.arraycopy(fields, k, fields, k + 1, nnz - k);
      indices[k] = index;
      values[k] = (float) value;
      fields[k] = (short) field;
      nnz++;
    }

    /** Ends the current row with its label. */
    public void endRow(double label) {
      int w = rowStart;
      for (int k = rowStart; k < nnz; k++) {
        if (values[k] != 0) {
          indices[w] = indices[k];
          values[w] = values[k];
          fields[w] = fields[k];
          w++;
        }
      }
      nnz = w;
      if (rows + 1 == labels.length) {
        labels = Arrays.copyOf(labels, labels.length * 2);
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      labels[rows] = (float) label;
      rows++;
      offsets[rows] = nnz;
      rowStart = nnz;
    }

    public SparseRows build() {
      return new SparseRows(rows, cols, Arrays.copyOf(offsets, rows + 1),
          Arrays.copyOf(indices, nnz), Arrays.copyOf(values, nnz), Arrays.copyOf(fields, nnz),
          Arrays.copyOf(labels, rows));
    }
  }
}
