package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.SparseRow;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Reads the rows of one Parquet input partition (label, then the vector or the numeric columns as
 * doubles, then the file name) into a {@link RowSink}. A row is named by its file and its index in
 * the input partition, which is also its key: a file scan partitions the same way every time.
 *
 * @param vector whether the features are one vector column
 * @param width the feature count
 * @param label the label column
 * @param names the vector column, or the feature columns
 * @param policy what to do with a bad row
 */
record ParquetRowReader(boolean vector, int width, String label, List<String> names,
    BadRowPolicy policy, boolean sparse) implements Serializable {

  ParquetRowReader {
    names = List.copyOf(names);
  }

  <R> Iterator<R> read(int partition, Iterator<Row> rows, RowSink.Partition<R> sink) {
    float[] x = new float[sparse ? 0 : width];
    SparseRow entries = new SparseRow();
    long r = 0;
    long origin = RowSplit.origin("partition-" + partition);
    while (rows.hasNext()) {
      Row row = rows.next();
      r++;
      String where = row.getString(row.length() - 1) + " (row " + r + " of input partition "
          + partition + ")";
      try {
        String labelText = labelText(where, row.get(0));
        if (sparse) {
          sparseFeatures(where, row, entries);
          sink.sparseRow(RowSplit.key(origin, r), labelText, entries);
          continue;
        }
        if (vector) {
          vectorFeatures(where, row, x);
        } else {
          columnFeatures(where, row, x);
        }
        sink.dense(RowSplit.key(origin, r), labelText, x);
      } catch (DataFormatException e) {
        bad(e, sink);
      } catch (NumberFormatException e) {
        bad(new DataFormatException(where, 0, e.getMessage()), sink);
      }
    }
    return sink.finish();
  }

  private String labelText(String where, Object value) {
    if (value == null) {
      throw new DataFormatException(where, 0, "the label (column " + label + ") is missing; "
          + "remove the row or fill in its label");
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
          : Double.toString(d);
    }
    return value.toString();
  }

  /** The row's feature vector: present, and as wide as the first row's. */
  private Vector vector(String where, Row row) {
    if (row.isNullAt(1)) {
      throw new DataFormatException(where, 0, "the vector column " + names.get(0)
          + " is empty (null); every row needs its features");
    }
    Vector v = (Vector) row.get(1);
    if (v.size() != width) {
      throw new DataFormatException(where, 0, "the vector has " + v.size() + " features but "
          + "the first row's has " + width + "; every row needs the same features");
    }
    return v;
  }

  private void vectorFeatures(String where, Row row, float[] x) {
    Vector v = vector(where, row);
    double[] values = v.toArray();
    for (int j = 0; j < width; j++) {
      x[j] = finite(where, names.get(0) + "[" + j + "]", values[j]);
    }
  }

  /** The stored entries of the vector, without densifying it (a sparse load). */
  private void sparseFeatures(String where, Row row, SparseRow out) {
    Vector v = vector(where, row);
    VectorRows.entries(v, out, (j, value) -> finite(where, names.get(0) + "[" + j + "]", value));
  }

  private void columnFeatures(String where, Row row, float[] x) {
    for (int j = 0; j < width; j++) {
      if (row.isNullAt(1 + j)) {
        throw new DataFormatException(where, 0, "column " + names.get(j) + " is empty (null); "
            + "features must be numbers");
      }
      x[j] = finite(where, names.get(j), row.getDouble(1 + j));
    }
  }

  private static float finite(String where, String column, double value) {
    float f = (float) value;
    if (!Float.isFinite(f)) {
      throw new DataFormatException(where, 0, "column " + column + " holds " + value
          + "; features must be finite numbers (no NaN or infinity)");
    }
    return f;
  }

  private void bad(DataFormatException e, RowSink sink) {
    if (policy == BadRowPolicy.FAIL) {
      throw e;
    }
    sink.skipped(e);
  }
}
