package io.sparkps.driver.data;

import io.sparkps.core.data.DataFormatException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads numeric Parquet columns as Spark's vectorized reader decodes them, a batch of columns at
 * a time ({@link ColumnarBatch}), into a {@link RowSink}: no {@code Row} object and no boxed
 * value per row. Rows, their keys, values and errors are those of {@link ParquetRowReader} on
 * the same scan (the same partitions, rows in the same order; every value read as a double, then
 * rounded to float); a bad row is named by its file, which the scan records for the task
 * ({@link InputFileBlockHolder}), and its index in the input partition.
 *
 * @param width the feature count
 * @param label the label column
 * @param names the feature columns
 * @param labelAt the label's index among the batch's columns
 * @param featureAt each feature's index among the batch's columns
 * @param policy what to do with a bad row
 */
record ParquetColumnReader(int width, String label, List<String> names, int labelAt,
    int[] featureAt, BadRowPolicy policy) implements Serializable {

  /** The column types read here; a scan with others is read row by row. */
  static boolean readable(DataType t) {
    return t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)
        || t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType);
  }

  ParquetColumnReader {
    names = List.copyOf(names);
    featureAt = featureAt.clone();
  }

  <R> Iterator<R> read(int partition, Iterator<ColumnarBatch> batches,
      RowSink.Partition<R> sink) {
    long origin = RowSplit.origin("partition-" + partition);
    Labels labels = new Labels();
    float[] x = new float[width];
    float[] values = new float[0];
    String[] problems = new String[0];
    long r = 0;
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      int n = batch.numRows();
      if (values.length < n * width) {
        values = new float[n * width];
        problems = new String[n];
      }
      java.util.Arrays.fill(problems, 0, n, null);
      for (int j = 0; j < width; j++) {
        column(batch.column(featureAt[j]), names.get(j), n, j, values, problems);
      }
      ColumnVector y = batch.column(labelAt);
      for (int i = 0; i < n; i++) {
        r++;
        String text = y.isNullAt(i) ? null : labels.text(y, i);
        if (text == null || problems[i] != null) {
          bad(where(r, partition), text == null ? "the label (column " + label + ") is missing; "
              + "remove the row or fill in its label" : problems[i], sink);
          continue;
        }
        System.arraycopy(values, i * width, x, 0, width);
        try {
          sink.dense(RowSplit.key(origin, r), text, x);
        } catch (NumberFormatException e) {
          bad(where(r, partition), e.getMessage(), sink);
        }
      }
    }
    return sink.finish();
  }

  /** Column {@code j} of {@code n} rows into {@code out}, row-major; a bad value notes its row. */
  private void column(ColumnVector c, String name, int n, int j, float[] out, String[] problems) {
    DataType t = c.dataType();
    boolean nulls = c.hasNull();
    for (int i = 0; i < n; i++) {
      if (nulls && c.isNullAt(i)) {
        problems[i] = problems[i] != null ? problems[i] : "column " + name + " is empty (null); "
            + "features must be numbers";
        continue;
      }
      double v = t.equals(DataTypes.DoubleType) ? c.getDouble(i)
          : t.equals(DataTypes.FloatType) ? c.getFloat(i)
          : t.equals(DataTypes.LongType) ? c.getLong(i)
          : t.equals(DataTypes.IntegerType) ? c.getInt(i)
          : t.equals(DataTypes.ShortType) ? c.getShort(i) : c.getByte(i);
      float f = (float) v;
      if (!Float.isFinite(f) && problems[i] == null) {
        problems[i] = "column " + name + " holds " + v + "; features must be finite numbers (no "
            + "NaN or infinity)";
      }
      out[i * width + j] = f;
    }
  }

  private static String where(long row, int partition) {
    return InputFileBlockHolder.getInputFilePath() + " (row " + row + " of input partition "
        + partition + ")";
  }

  private void bad(String where, String problem, RowSink sink) {
    DataFormatException e = new DataFormatException(where, 0, problem);
    if (policy == BadRowPolicy.FAIL) {
      throw e;
    }
    sink.skipped(e);
  }

  /**
   * A label's text as {@link ParquetRowReader} writes it (whole numbers without a fraction),
   * each distinct value's text made once (up to 4096 of them).
   */
  private static final class Labels {
    private final HashMap<Long, String> texts = new HashMap<>();

    String text(ColumnVector c, int i) {
      DataType t = c.dataType();
      if (t.equals(DataTypes.StringType)) {
        return c.getUTF8String(i).toString();
      }
      double d = t.equals(DataTypes.DoubleType) ? c.getDouble(i)
          : t.equals(DataTypes.FloatType) ? c.getFloat(i)
          : t.equals(DataTypes.LongType) ? c.getLong(i)
          : t.equals(DataTypes.IntegerType) ? c.getInt(i)
          : t.equals(DataTypes.ShortType) ? c.getShort(i) : c.getByte(i);
      long bits = Double.doubleToLongBits(d);
      String s = texts.get(bits);
      if (s == null) {
        s = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
            : Double.toString(d);
        if (texts.size() < 4096) {
          texts.put(bits, s);
        }
      }
      return s;
    }
  }
}
