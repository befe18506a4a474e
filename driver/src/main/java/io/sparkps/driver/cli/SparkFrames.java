package io.sparkps.driver.cli;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a file into a DataFrame for scoring: CSV with inferred numeric types, LibSVM, Parquet. */
final class SparkFrames {
  private SparkFrames() {
  }

  static Dataset<Row> read(SparkSession spark, String path, String format, boolean header,
      String delimiter, int features) {
    return read(spark, path, format, header, delimiter, features, true);
  }

  /** As above; without {@code inferSchema} every CSV column is read as its text. */
  static Dataset<Row> read(SparkSession spark, String path, String format, boolean header,
      String delimiter, int features, boolean inferSchema) {
    String f = format.equals("auto") ? guess(path) : format.toLowerCase(Locale.ROOT);
    return switch (f) {
      case "csv" -> spark.read().option("header", Boolean.toString(header))
          .option("inferSchema", Boolean.toString(inferSchema)).option("sep", delimiter.equals("space") ? " " : delimiter)
          .csv(path);
      case "libsvm" -> spark.read().format("libsvm").option("numFeatures", features).load(path);
      case "parquet" -> spark.read().parquet(path);
      default -> throw new IllegalArgumentException("--format must be csv, libsvm, parquet or "
          + "auto, got '" + format + "'");
    };
  }

  private static String guess(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".parquet")) {
      return "parquet";
    }
    if (p.endsWith(".csv") || p.endsWith(".csv.gz") || p.endsWith(".tsv")) {
      return "csv";
    }
    return "libsvm";
  }
}
