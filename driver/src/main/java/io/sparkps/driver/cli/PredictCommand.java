package io.sparkps.driver.cli;

import io.sparkps.core.io.LoadedModel;
import io.sparkps.driver.io.ModelLocation;
import io.sparkps.driver.predict.PredictionWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps predict}: adds predictions to a dataset with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scores data with a saved model and writes it with a prediction column and, "
        + "for classifiers, the predicted class and one probability column per class."})
public final class PredictCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --out': a local path or any "
          + "Hadoop URI (hdfs://, s3a://, file://).")
  String modelDir;

  @Option(names = "--data", paramLabel = "PATH", required = true,
      description = "Data to score (any Hadoop file system path).")
  String data;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "csv, libsvm, parquet or auto (by the file name). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--label", paramLabel = "COLUMN", defaultValue = "",
      description = "A label column to keep but not read as a feature. Default: the label "
          + "column the model was trained with.")
  String label;

  @Option(names = "--no-header", description = "The CSV file has no header line.")
  boolean noHeader;

  @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
      description = "CSV field separator. Default: ','.")
  String delimiter;

  @Option(names = "--skip-lines", paramLabel = "N", defaultValue = "0",
      description = "Lines to skip at the start of each CSV file, before its header. Default: "
          + "${DEFAULT-VALUE}.")
  int skipLines;

  @Option(names = "--out", paramLabel = "PATH", required = true,
      description = "Where to write the predictions (a directory, as Spark writes).")
  String out;

  @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "csv",
      description = "csv or parquet. Default: ${DEFAULT-VALUE}.")
  String outputFormat;

  @Option(names = "--overwrite", description = "Replace existing output at --out.")
  boolean overwrite;

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() throws Exception {
    if (!outputFormat.equals("csv") && !outputFormat.equals("parquet")) {
      throw new IllegalArgumentException("--output-format must be csv or parquet, got '"
          + outputFormat + "'");
    }
    SparkSession spark = sparkOptions.session("SparkPS predict");
    java.util.Optional<KeyedRun.Header> keyed = KeyedRun.header(modelDir,
        spark.sparkContext().hadoopConfiguration());
    if (keyed.isPresent()) {
      io.sparkps.core.io.ModelHeader h = keyed.get().header();
      Dataset<Row> input = SparkFrames.read(spark, data, format, !noHeader, delimiter,
          h.spec().inputs(), h.featureHashing().isEmpty(), skipLines);
      Dataset<Row> scored = PredictionWriter.scoreKeyed(input, h, keyed.get().dir(), label);
      PredictionWriter.write(scored, out, outputFormat, overwrite,
          spark.sparkContext().hadoopConfiguration());
      spec.commandLine().getOut().println("predictions written to " + out);
      spec.commandLine().getOut().flush();
      return 0;
    }
    LoadedModel model = new ModelLocation(modelDir).read(spark.sparkContext()
        .hadoopConfiguration());
    // hashed columns are read as the text training hashed, never re-typed by schema inference
    Dataset<Row> input = SparkFrames.read(spark, data, format, !noHeader, delimiter,
        model.header().spec().inputs(), model.header().featureHashing().isEmpty(), skipLines);
    Dataset<Row> scored = PredictionWriter.score(input, model, label.isEmpty()
        ? model.header().labelColumnName().orElse("") : label);
    PredictionWriter.write(scored, out, outputFormat, overwrite,
        spark.sparkContext().hadoopConfiguration());
    spec.commandLine().getOut().println("predictions written to " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
