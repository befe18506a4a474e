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

  /** Loads {@code path} with Spark's vectorized Parquet reader on or off. */
  private SparkDataset loadWith(boolean vectorized, LoadRequest request) {
    String key = "spark.sql.parquet.enableVectorizedReader";
    SparkTestSession.get().conf().set(key, Boolean.toString(vectorized));
    try {
      return loader.load(request);
    } finally {
      SparkTestSession.get().conf().unset(key);
    }
  }

  private String failureWith(boolean vectorized, LoadRequest request) {
    return assertThrows(DataFormatException.class, () -> loadWith(vectorized, request))
        .getMessage();
  }

  @Test
  void columnBatchesReadTheRowsAndErrorsOfTheRowReader() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(RowFactory.create((long) i * 1_000_003L, (short) (i % 300 - 150), (byte) (i % 7),
          Math.sin(i) * 1e3, i % 3 == 0 ? "x" : "y"));
    }
    rows.add(RowFactory.create(1L, (short) 1, (byte) 1, Double.POSITIVE_INFINITY, "x"));
    rows.add(RowFactory.create(1L, null, (byte) 1, 1.0, "x"));
    rows.add(RowFactory.create(1L, (short) 1, (byte) 1, 1.0, null));
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("a", DataTypes.LongType, true),
        DataTypes.createStructField("b", DataTypes.ShortType, true),
        DataTypes.createStructField("c", DataTypes.ByteType, true),
        DataTypes.createStructField("d", DataTypes.DoubleType, true),
        DataTypes.createStructField("kind", DataTypes.StringType, true)});
    Path out = dir.resolve("mixed");
    write(out, schema, rows);
    InputFiles in = InputFiles.list(out.toString(), SparkTestSession.get().sparkContext()
        .hadoopConfiguration());
    assertTrue(ParquetInput.open(SparkTestSession.get(), in, "kind", "features",
        BadRowPolicy.FAIL, RowEncoding.dense()).columnar(), "a numeric scan reads columns");
    LoadRequest request = LoadRequest.of(out.toString(), Task.BINARY, 2)
        .withCsv(io.sparkps.core.data.CsvOptions.defaults().withLabel("kind"))
        .withValidation(0.25, 7);
    SparkDataset columns = loadWith(true, request.withBadRows(BadRowPolicy.SKIP));
    SparkDataset byRow = loadWith(false, request.withBadRows(BadRowPolicy.SKIP));
    assertEquals(3, columns.skippedRows());
    assertEquals(byRow.skippedRows(), columns.skippedRows());
    assertEquals(400, columns.trainRows() + columns.validationRows());
    assertEquals(List.of("x", "y"), columns.classes());
    assertEquals(Blocks.rows(byRow.train()).stream().map(java.util.Arrays::toString).toList(),
        Blocks.rows(columns.train()).stream().map(java.util.Arrays::toString).toList());
    assertEquals(Blocks.rows(byRow.validation()).stream().map(java.util.Arrays::toString)
        .toList(), Blocks.rows(columns.validation()).stream().map(java.util.Arrays::toString)
        .toList());
    columns.unpersist();
    byRow.unpersist();
    String failure = failureWith(true, request);
    assertTrue(failure.contains(".parquet (row ") && failure.contains("Infinity"), failure);
    assertEquals(failureWith(false, request), failure);
  }
}
