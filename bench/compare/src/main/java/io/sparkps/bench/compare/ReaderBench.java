package io.sparkps.bench.compare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.sparkps.core.model.Task;
import io.sparkps.driver.data.LoadRequest;
import io.sparkps.driver.data.SourceFormat;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reading speed, one JVM, {@code local[cores]}: SparkPS's loader (its one read, the gather into
 * the worker partitions and the cached blocks) on CSV, LibSVM and Parquet forms of the same rows,
 * against Spark's own CSV, LibSVM and Parquet readers summing every column (so every value is
 * parsed). Rounds alternate the readers, so a change of load on the machine hits all of them;
 * the first round is a warm-up and not reported. Prints rows/s and MB/s per core per round.
 *
 * <p>Usage: {@code ReaderBench CSV_FILE [ROUNDS] [CORES]}; the LibSVM and Parquet forms are
 * written next to the CSV file on the first run (by Spark) and reused.
 */
public final class ReaderBench {
  private ReaderBench() {
  }

  public static void main(String[] args) throws Exception {
    String csv = new File(args[0]).getAbsolutePath();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int cores = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    SparkSession spark = BenchSpark.start("reader-bench", cores,
        io.sparkps.driver.SparkSessions.REGISTRATORS);
    Dataset<Row> text = spark.read().option("header", true).schema(schema(csv)).csv(csv);
    String parquet = csv.replaceAll("\\.csv$", "") + ".parquet";
    String libsvm = csv.replaceAll("\\.csv$", "") + ".libsvm";
    if (!Files.exists(Path.of(parquet))) {
      text.write().parquet(parquet);
    }
    if (!Files.exists(Path.of(libsvm))) {
      List<String> f = new ArrayList<>(List.of(text.columns()));
      f.remove("label");
      new VectorAssembler().setInputCols(f.toArray(new String[0])).setOutputCol("features")
          .transform(text).select(col("label").cast("double").as("label"), col("features")).write().format("libsvm").save(libsvm);
    }
    SparkDataLoader loader = new SparkDataLoader(spark);
    List<Reader> readers = List.of(
        new Reader("sparkps csv", csv, () -> sparkPs(loader, csv, SourceFormat.CSV, cores)),
        new Reader("spark csv", csv, () -> sumAll(spark.read().option("header", true)
            .schema(schema(csv)).csv(csv))),
        new Reader("sparkps libsvm", libsvm,
            () -> sparkPs(loader, libsvm, SourceFormat.LIBSVM, cores)),
        new Reader("spark libsvm", libsvm, () -> sumVector(spark.read().format("libsvm")
            .option("numFeatures", Integer.toString(schema(csv).size() - 1)).load(libsvm))),
        new Reader("sparkps parquet", parquet,
            () -> sparkPs(loader, parquet, SourceFormat.PARQUET, cores)),
        new Reader("spark parquet", parquet, () -> sumAll(spark.read().parquet(parquet))));
    System.out.printf(Locale.ROOT, "| round | reader | MB | rows | seconds | rows/s/core "
        + "| MB/s/core |%n|---|---|---|---|---|---|---|%n");
    for (int round = 0; round <= rounds; round++) {
      for (Reader r : readers) {
        long t0 = System.nanoTime();
        long rows = r.read().getAsLong();
        double s = (System.nanoTime() - t0) / 1e9;
        double mb = bytes(Path.of(r.path())) / 1e6;
        if (round > 0) {
          System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %d | %.2f | %.0f | %.1f |%n", round,
              r.name(), mb, rows, s, rows / s / cores, mb / s / cores);
        }
      }
    }
    spark.stop();
  }

  private record Reader(String name, String path, LongSupplier read) {
  }

  private static long sparkPs(SparkDataLoader loader, String path, SourceFormat format,
      int cores) {
    SparkDataset d = loader.load(LoadRequest.of(path, Task.BINARY, cores).withFormat(format)
        .withValidation(0.2, 42));
    d.train().unpersist(true);
    d.validation().unpersist(true);
    return d.trainRows() + d.validationRows();
  }

  /** Spark's reader, every column summed: one scan that parses every value. */
  private static long sumAll(Dataset<Row> df) {
    List<Column> sums = new ArrayList<>();
    for (String c : df.columns()) {
      sums.add(sum(col(c)));
    }
    sums.add(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)));
    Row r = df.agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0])).first();
    return r.getLong(r.length() - 1);
  }

  /** Spark's LibSVM reader: every vector decoded (its values summed) and the rows counted. */
  private static long sumVector(Dataset<Row> df) {
    return df.javaRDD().map(r -> {
      double s = r.getDouble(0);
      for (double v : ((org.apache.spark.ml.linalg.Vector) r.get(1)).toArray()) {
        s += v;
      }
      return s;
    }).count();
  }

  /** Every column a double but the last, {@code label}, an integer (synth's CSV). */
  private static StructType schema(String csv) {
    String header;
    try (var lines = Files.lines(Path.of(csv))) {
      header = lines.findFirst().orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    StructType s = new StructType();
    for (String c : header.split(",")) {
      s = s.add(c.trim(), c.trim().equals("label") ? DataTypes.IntegerType
          : DataTypes.DoubleType);
    }
    return s;
  }

  private static long bytes(Path p) {
    try (var files = Files.walk(p)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(f -> !f.getFileName().toString().startsWith("_"))
          .mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
