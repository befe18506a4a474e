package io.sparkps.core.data;

import java.util.Arrays;

/**
 * A reusable buffer for one sparse row on its way into a {@link SparseBlock}: entries of
 * (index, value, field) added in any order, then {@link #normalize}d to strictly ascending
 * indices (entries of the same index are summed and keep the first one's field, as a hashing
 * collision within a row does in Spark ML's {@code FeatureHasher}). Not thread-safe; one per
 * task.
 */
public final class SparseRow {
  private int[] indices = new int[16];
  private float[] values = new float[16];
  private short[] fields = new short[16];
  private int size;

  /** Empties the row. */
  public void clear() {
    size = 0;
  }

  /** Adds an entry; call {@link #normalize} before reading. */
  public void add(int index, float value, int field) {
    if (size == indices.length) {
      indices = Arrays.copyOf(indices, 2 * size);
      values = Arrays.copyOf(values, 2 * size);
      fields = Arrays.copyOf(fields, 2 * size);
    }
    indices[size] = index;
    values[size] = value;
    fields[size] = (short) field;
    size++;
  }

  /** Sorts the entries by index (insertion sort: rows are short) and merges equal indices. */
  public void normalize() {
    for (int i = 1; i < size; i++) {
      int idx = indices[i];
      float v = values[i];
      short f = fields[i];
      int j = i - 1;
      while (j >= 0 && indices[j] > idx) {
        indices[j + 1] = indices[j];
        values[j + 1] = values[j];
        fields[j + 1] = fields[j];
        j--;
      }
      indices[j + 1] = idx;
      values[j + 1] = v;
      fields[j + 1] = f;
    }
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (n > 0 && indices[n - 1] == indices[i]) {
        values[n - 1] += values[i];
      } else {
        indices[n] = indices[i];
        values[n] = values[i];
        fields[n] = fields[i];
        n++;
      }
    }
    size = n;
  }

  public int size() {
    return size;
  }

  public int index(int i) {
    return indices[i];
  }

  public float value(int i) {
    return values[i];
  }

  public short field(int i) {
    return fields[i];
  }

  /** The largest index plus one, or 0 for an empty row (after {@link #normalize}). */
  public int width() {
    return size == 0 ? 0 : indices[size - 1] + 1;
  }
}
