package io.sparkps.driver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import io.sparkps.core.data.DataFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet as a {@link RowSource}: a Spark ML vector column and a label column, or, without the
 * vector column, every numeric column but the label. The schema is checked on the driver
 * before any job. Numeric columns that Spark's vectorized Parquet reader decodes are read from
 * its column batches by a {@link ParquetColumnReader}; anything else (a vector column, decimals,
 * a scan Spark reads row by row) by a {@link ParquetRowReader}.
 */
final class ParquetInput implements RowSource {
  private final JavaRDD<Row> rows;
  private final JavaRDD<ColumnarBatch> batches;
  private final ParquetRowReader reader;
  private final ParquetColumnReader columns;

  private final String labelColumn;

  private ParquetInput(JavaRDD<Row> rows, ParquetRowReader reader, String labelColumn,
      java.util.Optional<ParquetColumns> columnar) {
    this.labelColumn = labelColumn;
    this.rows = rows;
    this.reader = reader;
    this.batches = columnar.map(ParquetColumns::batches).orElse(null);
    this.columns = columnar.map(ParquetColumns::reader).orElse(null);
  }

  /** The column batches of a vectorized scan and their reader. */
  private record ParquetColumns(JavaRDD<ColumnarBatch> batches, ParquetColumnReader reader) {
  }

  /** Whether rows are read from column batches (Spark's vectorized Parquet reader). */
  boolean columnar() {
    return batches != null;
  }

  static ParquetInput open(SparkSession spark, InputFiles in, String labelColumn,
      String vectorColumn, BadRowPolicy policy, RowEncoding encoding) {
    if (encoding instanceof RowEncoding.Hashed) {
      throw new IllegalArgumentException("--categorical hashes the columns of CSV data; "
          + in.path() + " is Parquet: give its features as a vector column (--vector-column)");
    }
    String[] files = in.files().stream().map(Object::toString).toArray(String[]::new);
    Dataset<Row> df = spark.read().parquet(files);
    StructType schema = df.schema();
    boolean vector = Arrays.asList(schema.fieldNames()).contains(vectorColumn)
        && schema.apply(vectorColumn).dataType().equals(SQLDataTypes.VectorType());
    List<String> others = new ArrayList<>(Arrays.asList(schema.fieldNames()));
    if (vector) {
      others.remove(vectorColumn);
    }
    String label = labelName(in.path(), others, labelColumn);
    others.remove(label);
    List<Column> select = new ArrayList<>(List.of(col(label)));
    List<String> names;
    if (vector) {
      select.add(col(vectorColumn));
      names = List.of(vectorColumn);
    } else {
      checkNumeric(in.path(), schema, others, vectorColumn);
      others.forEach(c -> select.add(col(c).cast(DataTypes.DoubleType)));
      names = others;
    }
    select.add(input_file_name());
    Dataset<Row> selected = df.select(select.toArray(new Column[0]));
    Vector first = vector ? firstVector(in.path(), selected) : null;
    int width = vector ? first.size() : names.size();
    boolean sparse = vector && (encoding instanceof RowEncoding.Sparse
        || encoding instanceof RowEncoding.Auto && first instanceof SparseVector);
    java.util.Optional<ParquetColumns> columnar = vector ? java.util.Optional.empty()
        : columnar(df, label, names, policy);
    return new ParquetInput(selected.javaRDD(),
        new ParquetRowReader(vector, width, label, names, policy, sparse), label, columnar);
  }

  /**
   * The file scan of the label and feature columns as column batches, when Spark reads it with
   * its vectorized reader (numeric columns, not too many of them) and every column has a type
   * {@link ParquetColumnReader} reads; empty otherwise. It scans the files as
   * {@code Dataset.javaRDD} does: the same partitions, rows in the same order.
   */
  private static java.util.Optional<ParquetColumns> columnar(Dataset<Row> df, String label,
      List<String> features, BadRowPolicy policy) {
    List<Column> cols = new ArrayList<>(List.of(col(label)));
    features.forEach(c -> cols.add(col(c)));
    SparkPlan plan = df.select(cols.toArray(new Column[0])).queryExecution().executedPlan();
    java.util.Optional<FileSourceScanExec> scan = scanOf(plan);
    if (scan.isEmpty() || !scan.get().supportsColumnar()) {
      return java.util.Optional.empty();
    }
    StructType out = scan.get().schema();
    List<String> names = Arrays.asList(out.fieldNames());
    DataType labelType = out.apply(label).dataType();
    if (!(ParquetColumnReader.readable(labelType) || labelType.equals(DataTypes.StringType))
        || !features.stream().allMatch(c -> ParquetColumnReader.readable(
            out.apply(c).dataType()))) {
      return java.util.Optional.empty();
    }
    int[] at = features.stream().mapToInt(names::indexOf).toArray();
    return java.util.Optional.of(new ParquetColumns(scan.get().executeColumnar().toJavaRDD(),
        new ParquetColumnReader(features.size(), label, features, names.indexOf(label), at,
            policy)));
  }

  /** The one file scan under {@code plan}, whatever wraps it (codegen, columnar to row). */
  private static java.util.Optional<FileSourceScanExec> scanOf(SparkPlan plan) {
    if (plan instanceof FileSourceScanExec f) {
      return java.util.Optional.of(f);
    }
    if (plan.children().size() != 1) {
      return java.util.Optional.empty();
    }
    return scanOf(plan.children().head());
  }

  @Override
  public java.util.Optional<String> labelColumn() {
    return java.util.Optional.of(labelColumn);
  }

  @Override
  public java.util.Optional<List<String>> headerFeatures() {
    return reader.vector() ? java.util.Optional.empty() : java.util.Optional.of(reader.names());
  }

  private static String labelName(String path, List<String> columns, String labelColumn) {
    String wanted = labelColumn.trim();
    if (columns.contains(wanted)) {
      return wanted;
    }
    try {
      int i = Integer.parseInt(wanted);
      int idx = i < 0 ? columns.size() + i : i;
      if (idx >= 0 && idx < columns.size()) {
        return columns.get(idx);
      }
    } catch (NumberFormatException e) {
      // not an index either: fall through to the error
    }
    throw new DataFormatException(path, 0, "label column '" + labelColumn + "' does not exist; "
        + "the columns are " + columns + " (give a name or a 0-based index with --label)");
  }

  private static void checkNumeric(String path, StructType schema, List<String> features,
      String vectorColumn) {
    if (features.isEmpty()) {
      throw new DataFormatException(path, 0, "has no feature columns besides the label; a "
          + "training file needs at least one feature");
    }
    for (String c : features) {
      StructField f = schema.apply(c);
      if (!(f.dataType() instanceof NumericType)) {
        throw new DataFormatException(path, 0, "column '" + c + "' has type "
            + f.dataType().simpleString() + "; without a vector column '" + vectorColumn
            + "' every column but the label is a feature and must be numeric (drop the column "
            + "or name the vector column)");
      }
    }
  }

  /** The size of the first vector, read with a one-row job. */
  private static Vector firstVector(String path, Dataset<Row> selected) {
    List<Row> first = selected.where(col(selected.columns()[1]).isNotNull()).limit(1)
        .collectAsList();
    if (first.isEmpty()) {
      throw new DataFormatException(path, 0, "holds no rows with a feature vector; the dataset "
          + "is empty (check --data)");
    }
    return (Vector) first.get(0).get(1);
  }

  @Override
  public RowEncoding encoding() {
    return reader.sparse() ? RowEncoding.sparse() : RowEncoding.dense();
  }

  @Override
  public <R> JavaRDD<R> rows(RowSink.Factory<R> factory) {
    if (columnar()) {
      ParquetColumnReader c = columns;
      return batches.mapPartitionsWithIndex((p, it) -> c.read(p, it, factory.open(p)), false);
    }
    ParquetRowReader r = reader;
    return rows.mapPartitionsWithIndex((p, it) -> r.read(p, it, factory.open(p)), false);
  }

  @Override
  public int features(DataSummary summary) {
    return reader.width();
  }

  @Override
  public List<String> featureNames(int features) {
    return reader.vector() ? java.util.stream.IntStream.range(0, features)
        .mapToObj(j -> reader.names().get(0) + "[" + j + "]").toList() : reader.names();
  }
}
