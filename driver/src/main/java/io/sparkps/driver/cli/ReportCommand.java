package io.sparkps.driver.cli;

import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.driver.SparkSessions;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.SparkEvaluation;
import io.sparkps.driver.data.Standardization;
import io.sparkps.driver.io.ModelLocation;
import io.sparkps.driver.report.HeldOutScores;
import io.sparkps.driver.report.ReportPage;
import io.sparkps.driver.report.RunMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps report}: one self-contained HTML page about a trained model, from its
 * {@code metrics.json} and, with {@code --data}, from its predictions on held-out rows.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes one self-contained HTML page about a trained model: loss and "
        + "validation curves per epoch, throughput, the distributions of round times and of "
        + "the wait for the slowest worker, and bytes exchanged, from the model's "
        + "metrics.json.",
        "With --data (held-out rows with the training columns): ROC and precision-recall "
            + "curves and the confusion matrix of a classifier, or residual plots of a "
            + "regression. Open the page in any browser; it needs no other file."})
public final class ReportCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "Model directory written by 'sparkps train --out' (with its metrics.json): "
          + "a local path or any Hadoop URI.")
  String modelDir;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
      description = "The HTML page to write (a local file). Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master for scoring --data. Default: local[*].")
  String master;

  @Mixin
  DataOptions data = new DataOptions();

  /**
   * Gives {@code report}'s {@code --data} its own help: the shared data options describe a
   * default (the bundled sample) that a report does not take (no data, no held-out section).
   */
  public static void describeData(picocli.CommandLine report) {
    CommandSpec s = report.getCommandSpec();
    picocli.CommandLine.Model.OptionSpec data = s.findOption("--data");
    s.remove(data);
    s.addOption(data.toBuilder().description("Held-out rows with the training columns, to add "
        + "ROC and precision-recall curves and the confusion matrix (or residual plots). "
        + "Default: none (the page shows the training metrics only).").build());
  }

  @Override
  public Integer call() throws Exception {
    boolean local = !modelDir.contains("://");
    Optional<SparkSession> spark = data.data() != null || !local
        ? Optional.of(session()) : Optional.empty();
    Configuration hadoop = spark.map(s -> s.sparkContext().hadoopConfiguration())
        .orElseGet(Configuration::new);
    ModelLocation location = new ModelLocation(modelDir);
    if (!location.exists(hadoop)) {
      throw new IllegalArgumentException("--model " + location + " does not exist; give the "
          + "directory that 'sparkps train --out' wrote");
    }
    byte[] json = location.readFile("metrics.json", hadoop).orElseThrow(() ->
        new IllegalArgumentException(location + " has no metrics.json; give --model a "
            + "directory written by 'sparkps train --out' (or retrain's registry version)"));
    RunMetrics run = RunMetrics.parse(json, location + "/metrics.json");
    LoadedModel loaded = location.read(hadoop);
    Optional<HeldOutScores> heldOut = spark.isPresent() && data.data() != null
        ? Optional.of(score(spark.get(), loaded)) : Optional.empty();
    String html = ReportPage.render(location.toString(), loaded.header(), run, heldOut,
        Optional.ofNullable(data.data()));
    write(out, html);
    spec.commandLine().getOut().println("report written to " + out.toAbsolutePath());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private SparkSession session() {
    SparkSessions.Settings s = SparkSessions.Settings.defaults().withAppName("SparkPS report");
    return SparkSessions.getOrCreate(master == null ? s : s.withMaster(master));
  }

  private HeldOutScores score(SparkSession spark, LoadedModel loaded) {
    ModelSpec modelSpec = loaded.header().spec();
    LabelEncoder encoder = LabelEncoder.forClasses(modelSpec.task(), loaded.header().labels());
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(LabelSpec.trained(encoder),
            spark.sparkContext().defaultParallelism())
        .withStandardization(Standardization.given(loaded.header().standardization()))
        .withEncoding(RowEncoding.forModel(loaded.header())));
    try {
      if (ds.features() != modelSpec.inputs()) {
        throw new IllegalArgumentException("the model at " + modelDir + " expects "
            + modelSpec.inputs() + " features but " + data.data() + " has " + ds.features()
            + "; give --data held-out rows with the training columns (and the --label, "
            + "--skip-lines and --delimiter options training had)");
      }
      Map<String, Double> metrics = SparkEvaluation.evaluate(ds.train(), modelSpec,
          loaded.params());
      return HeldOutScores.score(ds.train(), ds.trainRows(), modelSpec, loaded.params(),
          loaded.header().labels(), metrics);
    } finally {
      ds.unpersist();
    }
  }

  /** Writes {@code html} to {@code file} atomically: a temporary sibling renamed into place. */
  static void write(Path file, String html) throws java.io.IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
