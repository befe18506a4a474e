package io.sparkps.dl4j.cli;

import io.sparkps.core.model.Task;
import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.dl4j.Dl4jNet;
import io.sparkps.dl4j.NetBlock;
import io.sparkps.dl4j.NetBlocks;
import io.sparkps.dl4j.OutputSpec;
import io.sparkps.driver.cli.DataOptions;
import io.sparkps.driver.cli.SparkOptions;
import io.sparkps.driver.data.SparkDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps predict} with a DL4J model directory: one CSV line per input row: its feature
 * columns, the predicted class (or value), then for classifiers each class's probability. The
 * rows come in the order the loader cached them (by partition; not necessarily the file's),
 * which is why each line repeats its features. The scores are computed on the executors; the
 * lines are gathered on the driver and written to one local file (temporary file, then
 * rename).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scores data with a deeplearning4j model written by 'sparkps train --model "
        + "dl4j' and writes one CSV line per row."})
public final class Dl4jPredictCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --model dl4j --out'.")
  Path modelDir;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "The CSV file to write (a local path).")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing file at --out.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException(out + " already exists; pass --overwrite to replace it");
    }
    Dl4jModelDir.Loaded m = Dl4jModelDir.read(modelDir);
    OutputSpec output = OutputSpec.of(m.net());
    SparkSession spark = sparkOptions.session("SparkPS predict");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkDataset ds = Dl4jEvaluateCommand.load(spark, data, m.metadata(), sc.defaultParallelism());
    try {
      Dl4jEvaluateCommand.checkWidth(ds, m.metadata(), modelDir);
      JavaRDD<NetBlock> blocks = NetBlocks.of(ds.train(), output);
      Broadcast<float[]> params = sc.broadcast(m.net().params());
      String json = m.net().configJson();
      List<String> classes = m.metadata().classes();
      List<List<String>> parts = blocks.map(b -> lines(json, params.value(), output, classes, b))
          .collect();
      params.destroy();
      blocks.unpersist(false);
      List<String> all = new ArrayList<>();
      all.add(String.join(",", m.metadata().featureNames()) + ","
          + header(output, classes));
      parts.forEach(all::addAll);
      Path abs = out.toAbsolutePath();
      Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      Files.write(tmp, all, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      spec.commandLine().getOut().printf(Locale.ROOT, "%d predictions written to %s%n",
          all.size() - 1, out);
      return 0;
    } finally {
      ds.unpersist();
    }
  }

  private static String header(OutputSpec output, List<String> classes) {
    if (output.task() == Task.REGRESSION) {
      return "prediction";
    }
    StringBuilder sb = new StringBuilder("prediction");
    classes.forEach(c -> sb.append(",p_").append(c));
    return sb.toString();
  }

  static List<String> lines(String json, float[] params, OutputSpec output, List<String> classes,
      NetBlock b) {
    List<String> lines = new ArrayList<>();
    if (b.rows() == 0) {
      return lines;
    }
    Dl4jNet net = Dl4jNet.fromJson(json);
    net.setParams(params);
    float[] p = net.output(b.all().getFeatures()).dup().data()
        .asFloat();
    int k = output.task() == Task.MULTICLASS ? output.outputs() : 1;
    int width = b.features().length / b.rows();
    for (int i = 0; i < b.rows(); i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < width; j++) {
        sb.append(b.features()[i * width + j]).append(',');
      }
      if (output.task() == Task.REGRESSION) {
        sb.append(p[i]);
      } else if (output.task() == Task.BINARY) {
        sb.append(classes.get(p[i] >= 0.5f ? 1 : 0)).append(',').append(1 - p[i]).append(',')
            .append(p[i]);
      } else {
        int best = 0;
        for (int j = 1; j < k; j++) {
          best = p[i * k + j] > p[i * k + best] ? j : best;
        }
        sb.append(classes.get(best));
        for (int j = 0; j < k; j++) {
          sb.append(',').append(p[i * k + j]);
        }
      }
      lines.add(sb.toString());
    }
    return lines;
  }
}
