package io.sparkps.dl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.data.LabelEncoder;
import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.dl4j.NetBlock;
import io.sparkps.dl4j.NetBlocks;
import io.sparkps.dl4j.NetEvaluation;
import io.sparkps.dl4j.OutputSpec;
import io.sparkps.driver.cli.DataOptions;
import io.sparkps.driver.cli.SparkOptions;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.Standardization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps evaluate} of a DL4J model directory on labeled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluates a deeplearning4j model written by 'sparkps train --model dl4j' on "
        + "labeled data: accuracy and loss for classifiers; MSE, RMSE, MAE and R^2 for "
        + "regression."})
public final class Dl4jEvaluateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --model dl4j --out'.")
  Path modelDir;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Dl4jModelDir.Loaded m = Dl4jModelDir.read(modelDir);
    OutputSpec output = OutputSpec.of(m.net());
    SparkSession spark = sparkOptions.session("SparkPS evaluate");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkDataset ds = load(spark, data, m.metadata(), sc.defaultParallelism());
    try {
      checkWidth(ds, m.metadata(), modelDir);
      JavaRDD<NetBlock> blocks = NetBlocks.of(ds.train(), output);
      Map<String, Double> metrics = NetEvaluation.of(sc, m.net(), output, blocks);
      blocks.unpersist(false);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(metrics));
      } else {
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%-10s %.6f%n", k, v));
      }
      out.flush();
      return 0;
    } finally {
      ds.unpersist();
    }
  }

  /** The data encoded with the model's classes, all of it (no validation split). */
  static SparkDataset load(SparkSession spark, DataOptions data, Dl4jModelDir.Metadata meta,
      int partitions) {
    LabelEncoder encoder = LabelEncoder.forClasses(meta.task(), meta.classes());
    return new SparkDataLoader(spark).load(data.request(LabelSpec.trained(encoder), partitions)
        .withStandardization(Standardization.none())
        .withEncoding(RowEncoding.dense()));
  }

  static void checkWidth(SparkDataset ds, Dl4jModelDir.Metadata meta, Path dir) {
    if (ds.features() != meta.featureNames().size() && !meta.featureNames().isEmpty()) {
      throw new IllegalArgumentException("the model at " + dir + " was trained on "
          + meta.featureNames().size() + " feature columns but the data has " + ds.features()
          + "; use data with the training columns " + meta.featureNames());
    }
  }
}
