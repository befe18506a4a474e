package io.sparkps.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.TestData;
import io.sparkps.core.data.DataFormatException;
import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.model.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet with a vector column or numeric columns reads as the CSV it was made from. */
class ParquetTest {
  private final SparkDataLoader loader = new SparkDataLoader(SparkTestSession.get());

  @TempDir
  Path dir;

  private static double[] features(ExampleBlock b, int i) {
    double[] x = new double[b.cols()];
    for (int j = 0; j < b.cols(); j++) {
      x[j] = b.feature(i, j);
    }
    return x;
  }

  private void write(Path out, StructType schema, List<Row> rows) {
    SparkTestSession.get().createDataFrame(rows, schema).coalesce(2).write().parquet(
        out.toString());
  }

  @Test
  void vectorColumnMatchesTheLocalReader() {
    Dataset iris = TestData.iris();
    ExampleBlock b = iris.block();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < b.rows(); i++) {
      rows.add(RowFactory.create((double) b.labels()[i], Vectors.dense(features(b, i))));
    }
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.DoubleType, true),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), true)});
    Path out = dir.resolve("iris-vector");
    write(out, schema, rows);
    SparkDataset ds = loader.load(LoadRequest.of(out.toString(), Task.MULTICLASS, 2)
        .withStandardization(Standardization.none()));
    SparkDataLoaderTest.assertSameRows(iris, ds, 0);
    assertEquals(List.of("0", "1", "2"), ds.classes());
    ds.unpersist();
  }

  @Test
  void numericColumnsMatchTheLocalReaderAndBadRowsAreNamed() {
    Dataset iris = TestData.iris();
    ExampleBlock b = iris.block();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < b.rows(); i++) {
      double[] x = features(b, i);
      rows.add(RowFactory.create(x[0], (float) x[1], x[2], x[3], (int) b.labels()[i]));
    }
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("sl", DataTypes.DoubleType, true),
        DataTypes.createStructField("sw", DataTypes.FloatType, true),
        DataTypes.createStructField("pl", DataTypes.DoubleType, true),
        DataTypes.createStructField("pw", DataTypes.DoubleType, true),
        DataTypes.createStructField("species", DataTypes.IntegerType, true)});
    Path out = dir.resolve("iris-columns");
    write(out, schema, rows);
    SparkDataset ds = loader.load(LoadRequest.of(out.toString(), Task.MULTICLASS, 2)
        .withFormat(SourceFormat.PARQUET).withStandardization(Standardization.none()));
    SparkDataLoaderTest.assertSameRows(iris, ds, 0);
    assertEquals(List.of("sl", "sw", "pl", "pw"), ds.featureNames());
    ds.unpersist();

    rows.add(RowFactory.create(Double.NaN, 1f, 1.0, 1.0, 0));
    rows.add(RowFactory.create(1.0, 1f, 1.0, 1.0, null));
    Path bad = dir.resolve("iris-bad");
    write(bad, schema, rows);
    DataFormatException e = assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(bad.toString(), Task.MULTICLASS, 2)));
    assertTrue(e.getMessage().contains(".parquet") && e.getMessage().contains("row "),
        e.getMessage());
    SparkDataset skipped = loader.load(LoadRequest.of(bad.toString(), Task.MULTICLASS, 2)
        .withBadRows(BadRowPolicy.SKIP));
    assertEquals(2, skipped.skippedRows());
    assertEquals(150, skipped.trainRows());
    skipped.unpersist();
    DataFormatException noLabel = assertThrows(DataFormatException.class, () -> loader.load(
        LoadRequest.of(out.toString(), Task.MULTICLASS, 2)
            .withCsv(io.sparkps.core.data.CsvOptions.defaults().withLabel("kind"))));
    assertTrue(noLabel.getMessage().contains("label column 'kind' does not exist"),
        noLabel.getMessage());
  }
}
