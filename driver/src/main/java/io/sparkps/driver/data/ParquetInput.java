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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet as a {@link RowSource}: a Spark ML vector column and a label column, or, without the
 * vector column, every numeric column but the label. The schema is checked on the driver
 * before any job; rows are read by a {@link ParquetRowReader}.
 */
final class ParquetInput implements RowSource {
  private final JavaRDD<Row> rows;
  private final ParquetRowReader reader;

  private final String labelColumn;

  private ParquetInput(JavaRDD<Row> rows, ParquetRowReader reader, String labelColumn) {
    this.labelColumn = labelColumn;
    this.rows = rows;
    this.reader = reader;
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
    return new ParquetInput(selected.javaRDD(),
        new ParquetRowReader(vector, width, label, names, policy, sparse), label);
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
