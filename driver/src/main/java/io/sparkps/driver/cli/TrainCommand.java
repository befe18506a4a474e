package io.sparkps.driver.cli;

import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.Standardization;
import io.sparkps.driver.io.ModelLocation;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RunCheckpoint;
import io.sparkps.driver.train.RunReport;
import io.sparkps.driver.train.RuntimeSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps train}: reads the data into Spark, trains with the parameter server (one barrier
 * stage per epoch), reports metrics, and writes the model, {@code metrics.json} and the job as
 * run ({@code job.yaml}) in one atomic step.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a model on Spark with the parameter server and prints its training "
        + "and validation metrics.",
        "Without --data it trains on the bundled sample (breast cancer, 569 rows). Every option "
            + "can also be set in a YAML job file (--config); flags override the file."})
public final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML job file: option names as keys (epochs: 10, hidden: [64, 64]).")
  Path config;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Mixin
  AlgorithmOptions algorithm = new AlgorithmOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of rows held out for validation and early stopping. Default: "
          + "${DEFAULT-VALUE}.")
  double validation;

  @Option(names = "--no-standardize",
      description = "Train on the raw features instead of standardizing them.")
  boolean noStandardize;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the model, metrics.json and job.yaml to this directory, a local path "
          + "or any Hadoop URI (hdfs://, s3a://, file://); not saved when absent.")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing model at --out.")
  boolean overwrite;

  @Option(names = "--report",
      description = "Also write report.html into the --out directory: the page of 'sparkps "
          + "report', with the validation rows as held-out data.")
  boolean report;

  @Option(names = "--ps-layout", paramLabel = "LAYOUT", defaultValue = "dense",
      description = "How the parameter servers hold the model: dense (one vector, every worker "
          + "pulls it whole) or keyed (sparse models only: one row per key on the shards, "
          + "workers pull and push only the keys of their minibatches, the shards write the "
          + "model into --out; needs --optimizer adagrad, adam or ftrl). Default: ${DEFAULT-VALUE}.")
  String psLayout;

  /** Set by {@code resume}: continue after the checkpointed epoch instead of starting. */
  java.util.Optional<RunCheckpoint.Resumed> resume = java.util.Optional.empty();

  /** Set by {@code resume}: the run being resumed; otherwise this run claims its own. */
  java.util.Optional<RunCheckpoint> resumedRun = java.util.Optional.empty();

  @Override
  public Integer call() throws Exception {
    Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    if (!KeyedRun.requested(psLayout) && algorithm.ftrl()) { // a misspelt layout fails too
      throw new IllegalArgumentException("--optimizer ftrl steps each key's FTRL state on the "
          + "parameter servers and needs --ps-layout keyed (sparse models: logistic, linear, "
          + "softmax, fm, wide-deep); add --ps-layout keyed, or use --optimizer adagrad or adam "
          + "with the dense layout.");
    }
    SparkSession spark = sparkOptions.session("SparkPS train");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (report && out == null) {
      throw new IllegalArgumentException("--report writes report.html beside the model, so it "
          + "needs --out DIR; add --out, or run 'sparkps report --model DIR' on a saved model");
    }
    // a resumed keyed run's --out holds its best epoch's tables (KeyedRun checks the model)
    boolean keyedResume = resumedRun.isPresent() && KeyedRun.requested(psLayout);
    if (out != null && !overwrite && !keyedResume
        && new ModelLocation(out).exists(sc.hadoopConfiguration())) {
      throw new IllegalArgumentException(new ModelLocation(out) + " already exists; pass "
          + "--overwrite to replace it or choose another --out");
    }
    RuntimeSettings runtime = sparkOptions.runtime(sc.defaultParallelism());
    spec.findOption("--workers").setValue(runtime.workers()); // job.yaml records the real count
    java.util.Optional<RunCheckpoint> run = resumedRun.or(() -> runtime.checkpointDir()
        .map(d -> RunCheckpoint.create(d, sc.hadoopConfiguration())));
    if (resumedRun.isEmpty()) {
      run.ifPresent(r -> r.writeJob(JobAsRun.checkpointYaml(spec)));
    }
    if (runtime.parameterServers().isEmpty()) {
      // the in-process server's certificate is made while Spark reads the data
      io.sparkps.driver.train.ParameterServerSession.prepareTls();
    }
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(
        LabelSpec.fit(model.readTask()), runtime.workers())
        .withValidation(validation, algorithm.seed)
        .withStandardization(noStandardize ? Standardization.none()
            : Standardization.fitOnTrain())
        .withEncoding(data.trainingEncoding(model.family())));
    try {
      return train(sc, runtime, run, ds, console);
    } finally {
      ds.unpersist();
    }
  }

  private int train(JavaSparkContext sc, RuntimeSettings runtime,
      java.util.Optional<RunCheckpoint> run, SparkDataset ds, Console console) throws Exception {
    ModelSpec modelSpec = model.toSpec(ds.features(), ds.classes(), ds.sparse(), ds.fields());
    Model m = modelSpec.build();
    TrainingConfig cfg = algorithm.toConfig(io.sparkps.core.train.TrainingDefaults.familyOf(modelSpec), validation, ds.trainRows(),
        runtime.workers());
    console.start(modelSpec, m.parameterCount(), ds, runtime);
    if (KeyedRun.requested(psLayout)) {
      return new KeyedRun(spec, out, overwrite).train(sc, runtime, run,
          resumedRun.isPresent(), resume, ds, modelSpec, cfg, console);
    }
    float[] start = io.sparkps.driver.train.StartingPoint.of(m, modelSpec.task(), cfg.seed(),
        ds.train());
    DistributedTrainer trainer = new DistributedTrainer(sc, runtime)
        .withPartitionRows(ds.trainPartitionRows()).withValidationRows(ds.validationRows());
    DistributedTrainer.Result r = (run.isPresent() ? trainer.withCheckpoints(run.get()) : trainer)
        .fit(ds.train(),
        ds.validation(), modelSpec, cfg, start, console::epoch, console::rounds, resume);
    // both sets' metrics in one job
    io.sparkps.driver.train.FinalMetrics scored = io.sparkps.driver.train.FinalMetrics.of(
        ds.train(), ds.validation(), ds.validationRows(), modelSpec, r.params());
    Map<String, Double> trainMetrics = scored.train();
    Map<String, Double> valMetrics = scored.validation();
    RunReport report = RunReport.of(trainMetrics, valMetrics, r, ds, runtime);
    Map<String, Double> headerMetrics = report.headerMetrics();
    console.results(headerMetrics, report);
    if (out != null) {
      ModelHeader header = ModelHeader.of(modelSpec, ds.featureNames(), ds.classes(),
          ds.standardizer(), cfg, headerMetrics, ds.hashing()).withLabelColumn(ds.labelColumn());
      ModelLocation target = new ModelLocation(out);
      Map<String, byte[]> files = new java.util.HashMap<>(Map.of("metrics.json",
          report.toJson(), "job.yaml", JobAsRun.yaml(spec)));
      if (this.report) {
        files.put("report.html", TrainingReport.html(target, header, report, ds, modelSpec,
            r.params(), valMetrics));
      }
      target.write(header, r.params(),
          overwrite ? ModelFile.Mode.REPLACE_EXISTING : ModelFile.Mode.CREATE_NEW,
          files, sc.hadoopConfiguration());
      spec.commandLine().getOut().println("model written to " + target);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
