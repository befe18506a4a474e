package io.sparkps.driver.data;

import io.sparkps.core.data.SparseRow;
import org.apache.spark.ml.linalg.Vector;

/** Spark ML vectors as SparkPS sparse rows: the stored entries only, never a dense copy. */
public final class VectorRows {
  private VectorRows() {
  }

  /**
   * Writes the stored entries of {@code v} to {@code out} (cleared first, normalized after), with
   * field 0; each value passes through {@code check} (which may throw for a non-finite one).
   */
  public static void entries(Vector v, SparseRow out, ValueCheck check) {
    out.clear();
    v.foreachActive((j, value) -> {
      out.add((int) j, check.apply((int) j, (Double) value), 0);
      return null;
    });
    out.normalize();
  }

  /** As {@link #entries(Vector, SparseRow, ValueCheck)}, taking values as they are. */
  public static void entries(Vector v, SparseRow out) {
    entries(v, out, (j, value) -> (float) value);
  }

  /** Turns a vector's value at an index into a float, or throws. */
  @FunctionalInterface
  public interface ValueCheck {
    float apply(int index, double value);
  }
}
