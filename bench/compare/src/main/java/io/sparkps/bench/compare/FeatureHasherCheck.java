package io.sparkps.bench.compare;

import io.sparkps.core.data.CtrTruth;
import java.util.List;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Checks that Spark MLlib's own {@code FeatureHasher}, run on the raw held-out CSV of ctr-N
 * through {@link CtrHashing#SQL}, gives exactly the prepared sparse rows: so MLlib's trainers
 * are fed "FeatureHasher" features, and SparkPS's the very same ones.
 */
final class FeatureHasherCheck {
  private FeatureHasherCheck() {
  }

  /** The raw CSV's schema: counts as longs, tokens as strings, the label an int. */
  static StructType rawSchema() {
    StructType s = new StructType();
    for (int k = 1; k <= CtrTruth.NUMERIC; k++) {
      s = s.add("I" + k, DataTypes.LongType);
    }
    for (int j = 1; j <= CtrTruth.CATEGORICAL; j++) {
      s = s.add("C" + j, DataTypes.StringType);
    }
    return s.add("label", DataTypes.IntegerType);
  }

  /**
   * Hashes the first {@code rows} rows of {@code data}'s held-out CSV with FeatureHasher and
   * compares them with the prepared held-out rows; throws on the first difference.
   */
  static void check(SparseContext ctx, int rows) {
    SparseBenchData.Prepared data = ctx.data();
    Dataset<Row> raw = ctx.spark().read().option("header", "true").schema(rawSchema())
        .csv(data.testCsv().toAbsolutePath().toString()).limit(rows);
    Dataset<Row> in = raw.selectExpr(CtrHashing.SQL);
    FeatureHasher fh = new FeatureHasher().setInputCols(CtrHashing.inputColumns())
        .setOutputCol("features").setNumFeatures(data.features());
    List<Row> got = fh.transform(in).select("features", "label").collectAsList();
    SparseRows want = ctx.test();
    int n = Math.min(rows, want.rows());
    if (got.size() != n) {
      throw new IllegalStateException("FeatureHasher check: " + got.size() + " rows from "
          + data.testCsv() + ", expected " + n);
    }
    for (int i = 0; i < n; i++) {
      compare(i, ((Vector) got.get(i).get(0)).toSparse(), got.get(i).getDouble(1), want, data);
    }
    System.out.printf("FeatureHasher check: the first %d held-out rows of %s hashed by MLlib's "
        + "FeatureHasher equal the prepared rows%n", n, data.name());
  }

  private static void compare(int i, SparseVector v, double label, SparseRows want,
      SparseBenchData.Prepared data) {
    int a = want.offsets()[i];
    int b = want.offsets()[i + 1];
    int k = a;
    for (int t = 0; t < v.indices().length; t++) {
      double x = v.values()[t];
      if (x == 0) {
        continue; // FeatureHasher keeps explicit zeros (log1p of a zero count); CSR drops them
      }
      if (k >= b || want.indices()[k] != v.indices()[t]
          || Math.abs(want.values()[k] - x) > 1e-6 * Math.max(1, Math.abs(x))) {
        throw new IllegalStateException("FeatureHasher check: held-out row " + i + " of "
            + data.name() + " differs at column " + v.indices()[t] + " (FeatureHasher " + x
            + ", prepared " + (k < b ? want.indices()[k] + ":" + want.values()[k] : "none")
            + "); delete " + data.dir() + " and prepare again, or fix CtrHashing");
      }
      k++;
    }
    if (k != b || label != want.labels()[i]) {
      throw new IllegalStateException("FeatureHasher check: held-out row " + i + " of "
          + data.name() + " has " + (b - k) + " prepared non-zeros FeatureHasher lacks, or "
          + "label " + label + " against " + want.labels()[i]);
    }
  }
}
