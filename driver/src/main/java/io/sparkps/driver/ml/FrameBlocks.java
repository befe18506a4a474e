package io.sparkps.driver.ml;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.SparseBlock;
import io.sparkps.core.data.SparseBlockBuilder;
import io.sparkps.core.data.SparseRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A DataFrame with a Spark ML feature vector column and a numeric label column, as compact
 * blocks: one {@link ExampleBlock} per partition, spread evenly over {@code partitions}.
 */
final class FrameBlocks {
  private FrameBlocks() {
  }

  static JavaRDD<ExampleBlock> of(Dataset<?> df, String features, String label, int partitions,
      int width) {
    // Repartition the DataFrame (Tungsten rows), not the RDD: no Row objects go through Kryo.
    return df.select(functions.col(features), functions.col(label).cast("double"))
        .repartition(partitions).toJavaRDD().mapPartitions(rows -> {
          List<float[]> xs = new ArrayList<>();
          List<Float> ys = new ArrayList<>();
          while (rows.hasNext()) {
            Row r = rows.next();
            Vector v = vector(r, features, label, width);
            float[] x = new float[width];
            v.foreachActive((i, value) -> {
              x[(int) i] = (float) (double) value;
              return null;
            });
            xs.add(x);
            ys.add((float) r.getDouble(1));
          }
          float[] f = new float[xs.size() * width];
          float[] y = new float[xs.size()];
          for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(xs.get(i), 0, f, i * width, width);
            y[i] = ys.get(i);
          }
          return List.of(new ExampleBlock(xs.size(), width, f, y)).iterator();
        });
  }

  /**
   * As {@link #of}, as sparse blocks: each vector's stored entries, never densified (a
   * {@code HashingTF} or {@code FeatureHasher} column of 2^20 slots costs what its non-zeros do).
   */
  static JavaRDD<SparseBlock> sparseOf(Dataset<?> df, String features, String label,
      int partitions, int width) {
    return df.select(functions.col(features), functions.col(label).cast("double"))
        .repartition(partitions).toJavaRDD().mapPartitions(rows -> {
          SparseBlockBuilder b = new SparseBlockBuilder(width, 0);
          SparseRow entries = new SparseRow();
          while (rows.hasNext()) {
            Row r = rows.next();
            Vector v = vector(r, features, label, width);
            io.sparkps.driver.data.VectorRows.entries(v, entries);
            b.add(entries, (float) r.getDouble(1));
          }
          return List.of(b.build()).iterator();
        });
  }

  /** The row's feature vector, with its label present and its width the first row's. */
  private static Vector vector(Row r, String features, String label, int width) {
    if (r.isNullAt(0) || r.isNullAt(1)) {
      throw new IllegalArgumentException("a row has no " + (r.isNullAt(0) ? features : label)
          + "; drop or fill rows with missing values before fit");
    }
    Vector v = r.getAs(0);
    if (v.size() != width) {
      throw new IllegalArgumentException("column " + features + " holds a vector of " + v.size()
          + " entries where the first row had " + width);
    }
    return v;
  }

  /** Whether the first row's feature vector is sparse. */
  static boolean sparse(Dataset<?> df, String features) {
    List<Row> first = df.select(features).limit(1).collectAsList();
    return !first.isEmpty() && first.get(0).get(0) instanceof SparseVector;
  }

  /** The feature vector's width, from the column's ML metadata or else the first row. */
  static int width(Dataset<?> df, String features) {
    int fromMeta = org.apache.spark.ml.attribute.AttributeGroup.fromStructField(
        df.schema().apply(features)).size();
    if (fromMeta > 0) {
      return fromMeta;
    }
    List<Row> first = df.select(features).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException("cannot fit on an empty DataFrame");
    }
    return ((Vector) first.get(0).get(0)).size();
  }
}
