package io.sparkps.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.driver.io.ModelLocation;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.SparkEvaluation;
import io.sparkps.driver.data.Standardization;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps evaluate}: scores a saved model on labeled data, in Spark. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluates a saved model on labeled data: accuracy, log loss and AUC for "
        + "classifiers; RMSE, MAE and R^2 for regression."})
public final class EvaluateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --out': a local path or any "
          + "Hadoop URI (hdfs://, s3a://, file://).")
  String modelDir;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  private String dataPath() {
    return data.data() != null ? data.data() : "the bundled sample";
  }

  @Override
  public Integer call() throws Exception {
    SparkSession spark = sparkOptions.session("SparkPS evaluate");
    java.util.Optional<KeyedRun.Header> keyed = KeyedRun.header(modelDir,
        spark.sparkContext().hadoopConfiguration());
    LoadedModel dense = keyed.isPresent() ? null : new ModelLocation(modelDir).read(
        spark.sparkContext().hadoopConfiguration());
    io.sparkps.core.io.ModelHeader header = keyed.isPresent() ? keyed.get().header()
        : dense.header();
    ModelSpec modelSpec = header.spec();
    LabelEncoder encoder = LabelEncoder.forClasses(modelSpec.task(), header.labels());
    data.withModelLabel(header.labelColumnName());
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(LabelSpec.trained(encoder),
            spark.sparkContext().defaultParallelism())
        .withStandardization(Standardization.given(header.standardization()))
        .withEncoding(RowEncoding.forModel(header)),
        ModelColumns.of(header, "the data at " + dataPath()));
    try {
      if (ds.features() != modelSpec.inputs()) {
        throw new IllegalArgumentException("the model at " + modelDir + " expects "
            + modelSpec.inputs() + " features but the data has " + ds.features()
            + "; evaluate on data with the training columns");
      }
      Map<String, Double> metrics = keyed.isPresent()
          ? SparkEvaluation.evaluateKeyed(ds.train(), modelSpec, keyed.get().dir())
          : SparkEvaluation.evaluate(ds.train(), modelSpec, dense.params());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(metrics));
      } else {
        metrics.forEach((k, v) -> out.printf("%-10s %.6f%n", k, v));
      }
      out.flush();
      return 0;
    } finally {
      ds.unpersist();
    }
  }
}
