package io.sparkps.driver.predict;

import io.sparkps.core.data.FeatureHashing;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;

/**
 * Adds prediction columns to a DataFrame with a saved model and writes the result as CSV or
 * Parquet. The output is written next to its destination and renamed into place through the
 * Hadoop file system, so a failed job never leaves a partial result under the output path.
 */
public final class PredictionWriter {
  private PredictionWriter() {
  }

  /** The input with {@code prediction} (and, for classifiers, class and probability) columns. */
  public static Dataset<Row> score(Dataset<Row> input, LoadedModel model, String labelColumn) {
    return score(input, model.header(), model.params(), null, labelColumn);
  }

  /**
   * As {@link #score(Dataset, LoadedModel, String)} for a keyed model directory
   * ({@code keyedDir}, an absolute Hadoop URI) with its header: the executors read only the
   * keys their rows hold.
   */
  public static Dataset<Row> scoreKeyed(Dataset<Row> input, ModelHeader header, String keyedDir,
      String labelColumn) {
    return score(input, header, new float[0], keyedDir, labelColumn);
  }

  private static Dataset<Row> score(Dataset<Row> input, ModelHeader header, float[] params,
      String keyedDir, String labelColumn) {
    StructType schema = input.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> features = header.featureNames();
    int vector = schema.getFieldIndex("features").isDefined()
        && schema.apply("features").dataType().equals(SQLDataTypes.VectorType())
        ? names.indexOf("features") : -1;
    FeatureHashing hashing = header.featureHashing().orElse(null);
    if (hashing != null) {
      vector = -1; // the model reads the raw columns
    }
    int[] columns = vector >= 0 ? new int[0] : hashing != null
        ? hashedColumns(names, hashing)
        : featureColumns(names, features, labelColumn);
    List<String> classes = header.labels();
    RowScorer scorer = keyedDir == null ? new RowScorer(header.spec(), params,
        header.standardization(), columns, vector, classes, hashing)
        : RowScorer.keyed(header.spec(), keyedDir, header.standardization(),
            columns, vector, classes, hashing);
    StructType out = schema.add("prediction", DataTypes.DoubleType, false);
    if (header.spec().task() != Task.REGRESSION) {
      out = out.add("predictedLabel", DataTypes.StringType, false);
      for (String c : classes) {
        out = out.add("probability_" + c, DataTypes.DoubleType, false);
      }
    }
    return input.mapPartitions(scorer, Encoders.row(out));
  }

  /** The model's raw columns, by name: every one must be there. */
  static int[] hashedColumns(List<String> names, FeatureHashing hashing) {
    List<String> missing = hashing.columns().stream().filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the data has columns " + names + " but the model "
          + "hashes the columns " + hashing.columns() + "; " + missing + " are missing: give "
          + "the data a header with the training columns");
    }
    return hashing.columns().stream().mapToInt(names::indexOf).toArray();
  }

  /** The model's feature columns by name, or else the columns other than the label in order. */
  static int[] featureColumns(List<String> names, List<String> features, String label) {
    if (names.containsAll(features)) {
      return features.stream().mapToInt(names::indexOf).toArray();
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equals(label)) {
        idx.add(i);
      }
    }
    if (idx.size() != features.size()) {
      List<String> missing = new ArrayList<>(features);
      missing.removeAll(names);
      List<String> extra = new ArrayList<>(names);
      extra.removeAll(features);
      extra.remove(label);
      throw new IllegalArgumentException("the data has columns " + names + " but the model takes "
          + features.size() + " features " + features + " (missing " + missing + ", extra "
          + extra + "); give the data those columns by name or exactly " + features.size()
          + " feature columns (and --label for the label)");
    }
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Writes {@code scored} to {@code out} as csv or parquet, atomically. */
  public static void write(Dataset<Row> scored, String out, String format, boolean overwrite,
      Configuration hadoop) throws IOException {
    Path target = new Path(out);
    FileSystem fs = target.getFileSystem(hadoop);
    if (fs.exists(target) && !overwrite) {
      throw new IllegalArgumentException(out + " already exists; pass --overwrite to replace it");
    }
    Path tmp = new Path(target.getParent() == null ? new Path(".") : target.getParent(),
        "." + target.getName() + ".tmp-" + UUID.randomUUID());
    Dataset<Row> data = format.equals("csv") ? withoutVectors(scored) : scored;
    var writer = data.write();
    if (format.equals("csv")) {
      writer = writer.option("header", "true");
    }
    writer.format(format).save(tmp.toString());
    if (fs.exists(target)) {
      fs.delete(target, true);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
  }

  private static Dataset<Row> withoutVectors(Dataset<Row> df) {
    for (StructField f : df.schema().fields()) {
      if (f.dataType().equals(SQLDataTypes.VectorType())) {
        df = df.drop(f.name());
      }
    }
    return df;
  }
}
