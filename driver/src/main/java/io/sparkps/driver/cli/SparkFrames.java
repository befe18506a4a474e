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
    return read(spark, path, format, header, delimiter, features, inferSchema, 0);
  }

  /** As above, skipping the first {@code skipLines} lines of each CSV file (before its header). */
  static Dataset<Row> read(SparkSession spark, String path, String format, boolean header,
      String delimiter, int features, boolean inferSchema, int skipLines) {
    if (skipLines < 0) {
      throw new IllegalArgumentException("--skip-lines must be 0 or more, got " + skipLines);
    }
    String f = format.equals("auto") ? guess(path) : format.toLowerCase(Locale.ROOT);
    if (skipLines > 0 && !f.equals("csv")) {
      throw new IllegalArgumentException("--skip-lines applies to CSV files, but " + path
          + " is read as " + f + "; leave it out.");
    }
    return switch (f) {
      case "csv" -> {
        org.apache.spark.sql.DataFrameReader csv = spark.read()
            .option("header", Boolean.toString(header))
            .option("inferSchema", Boolean.toString(inferSchema))
            .option("sep", delimiter.equals("space") ? " " : delimiter);
        yield skipLines == 0 ? csv.csv(path) : csv.csv(spark.createDataset(
            linesAfter(spark, path, skipLines).rdd(), org.apache.spark.sql.Encoders.STRING()));
      }
      case "libsvm" -> spark.read().format("libsvm").option("numFeatures", features).load(path);
      case "parquet" -> spark.read().parquet(path);
      default -> throw new IllegalArgumentException("--format must be csv, libsvm, parquet or "
          + "auto, got '" + format + "'");
    };
  }

  /**
   * The lines of the text files at {@code path} without each file's first {@code skip} lines:
   * they are dropped from the split that starts at offset 0 of each file (lines to skip lie
   * within a file's first split).
   */
  private static org.apache.spark.api.java.JavaRDD<String> linesAfter(SparkSession spark,
      String path, int skip) {
    org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext
        .fromSparkContext(spark.sparkContext());
    org.apache.spark.api.java.JavaNewHadoopRDD<org.apache.hadoop.io.LongWritable,
        org.apache.hadoop.io.Text> raw = (org.apache.spark.api.java.JavaNewHadoopRDD<
        org.apache.hadoop.io.LongWritable, org.apache.hadoop.io.Text>) jsc.newAPIHadoopFile(path,
        org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
        org.apache.hadoop.io.LongWritable.class, org.apache.hadoop.io.Text.class,
        jsc.hadoopConfiguration());
    return raw.mapPartitionsWithInputSplit((split, it) -> {
      boolean first = ((org.apache.hadoop.mapreduce.lib.input.FileSplit) split).getStart() == 0;
      java.util.List<String> out = new java.util.ArrayList<>();
      int dropped = 0;
      while (it.hasNext()) {
        String line = it.next()._2().toString();
        if (first && dropped < skip) {
          dropped++;
        } else {
          out.add(line);
        }
      }
      return out.iterator();
    }, true);
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
