package io.sparkps.driver.cli;

import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.SparkEvaluation;
import io.sparkps.driver.data.Standardization;
import io.sparkps.driver.registry.DataDescription;
import io.sparkps.driver.registry.GateDecision;
import io.sparkps.driver.registry.ModelRegistry;
import io.sparkps.driver.registry.ModelRegistry.Candidate;
import io.sparkps.driver.registry.ModelRegistry.Version;
import io.sparkps.driver.registry.PromotionGate;
import io.sparkps.driver.registry.RegistryStore;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RunReport;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps retrain}: trains a candidate on new data, warm-started from the registry's
 * current version, compares both on the same validation rows, and promotes the candidate to the
 * next version or records it as rejected (see {@link io.sparkps.driver.registry}).
 *
 * <p>Order of a run: read {@code CURRENT}; load the data with the current model's classes and
 * standardization (fitted on the data for the first version); train from the current
 * parameters; evaluate candidate and current model on the validation blocks; decide; write the
 * version, then move the pointer (or write {@code rejected/<timestamp>}).
 */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Retrains the current model of a registry on new data and promotes the "
        + "candidate to the next version (v0001, v0002, ...) unless its validation metric is "
        + "worse than the current model's on the same rows by more than --margin.",
        "The current version fixes the model, its classes and its standardization; the model "
            + "options apply to the first version only. The algorithm options apply to every run."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:promoted: CURRENT names the new version",
        "3:rejected by the gate: the candidate is kept under rejected/<timestamp>, CURRENT "
            + "is unchanged",
        "2:bad input or usage (options, data, registry contents); CURRENT is unchanged",
        "1:failure (training, storage, or CURRENT moved by another retrain since this one "
            + "read it); this run left CURRENT unchanged and can be repeated"})
public final class RetrainCommand implements Callable<Integer> {

  public static final int PROMOTED = 0;
  public static final int FAILED = 1;
  public static final int REJECTED = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--registry", paramLabel = "DIR", required = true,
      description = "Registry directory: a local path or a Hadoop URI (hdfs://...). Created "
          + "by the first run.")
  String registry;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML job file: option names as keys; flags override the file.")
  java.nio.file.Path config;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Mixin
  AlgorithmOptions algorithm = new AlgorithmOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "auto",
      description = "Validation metric of the gate: logLoss, accuracy, auc (binary), rmse, mae "
          + "or r2; auto is logLoss for classifiers and rmse for regression. "
          + "Default: ${DEFAULT-VALUE}.")
  String metric;

  @Option(names = "--margin", paramLabel = "X", defaultValue = "0",
      description = "How much worse than the current model the candidate may be, in the "
          + "metric's units. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of rows held out to compare the models. Default: ${DEFAULT-VALUE}.")
  double validation;

  @Option(names = "--no-standardize",
      description = "First version only: train on the raw features.")
  boolean noStandardize;

  private final BiFunction<String, Configuration, RegistryStore> stores;

  public RetrainCommand() {
    this(RegistryStore::open);
  }

  /**
   * A command whose registry is opened by {@code stores} from {@code --registry} and Spark's
   * Hadoop configuration (tests inject failing stores).
   */
  public RetrainCommand(BiFunction<String, Configuration, RegistryStore> stores) {
    this.stores = stores;
  }

  @Override
  public Integer call() throws Exception {
    if (!(validation > 0 && validation < 1)) {
      throw new IllegalArgumentException("--validation must be above 0 and below 1, got "
          + validation + "; the gate compares the models on the held-out rows");
    }
    Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    SparkSession spark = sparkOptions.session("SparkPS retrain");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ModelRegistry reg = new ModelRegistry(stores.apply(registry, sc.hadoopConfiguration()));
    Optional<Version> current = reg.current();
    RuntimeSettings runtime = sparkOptions.runtime(sc.defaultParallelism());
    spec.findOption("--workers").setValue(runtime.workers());
    data.withModelLabel(current.flatMap(v -> v.model().header().labelColumnName()));
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(labels(current),
        runtime.workers()).withValidation(validation, algorithm.seed)
        .withStandardization(standardization(current))
        .withEncoding(current.map(v -> RowEncoding.forModel(v.model().header()))
            .orElseGet(() -> data.trainingEncoding(model.family()))),
        current.map(v -> ModelColumns.of(v.model().header(), "the data at " + dataPath()))
            .orElse((features, label) -> { }));
    try {
      return retrain(sc, runtime, ds, reg, current, console);
    } finally {
      ds.unpersist();
    }
  }

  private LabelSpec labels(Optional<Version> current) {
    return current.map(v -> LabelSpec.trained(LabelEncoder.forClasses(
        v.model().header().spec().task(), v.model().header().labels())))
        .orElseGet(() -> LabelSpec.fit(model.readTask()));
  }

  private Standardization standardization(Optional<Version> current) {
    return current.map(v -> Standardization.given(v.model().header().standardization()))
        .orElseGet(() -> noStandardize ? Standardization.none() : Standardization.fitOnTrain());
  }

  private int retrain(JavaSparkContext sc, RuntimeSettings runtime, SparkDataset ds,
      ModelRegistry reg, Optional<Version> current, Console console) throws Exception {
    current.ifPresent(v -> checkColumns(v, ds));
    ModelSpec modelSpec = current.map(v -> v.model().header().spec())
        .orElseGet(() -> model.toSpec(ds.features(), ds.classes(), ds.sparse(), ds.fields()));
    PromotionGate gate = PromotionGate.of(metric.equals("auto") ? Optional.empty()
        : Optional.of(metric), margin, modelSpec.task());
    Model m = modelSpec.build();
    TrainingConfig cfg = algorithm.toConfig(io.sparkps.core.train.TrainingDefaults.familyOf(modelSpec), validation, ds.trainRows(),
        runtime.workers());
    float[] start = current.map(v -> v.model().params().clone()).orElseGet(() -> {
      float[] p = new float[m.parameterCount()];
      m.initialize(p, cfg.seed());
      return p;
    });
    console.start(modelSpec, m.parameterCount(), ds, runtime);
    PrintWriter err = spec.commandLine().getErr();
    err.println(current.map(v -> "warm start from " + v.name() + " of " + reg.store().location())
        .orElse("cold start: " + reg.store().location() + " has no current version"));
    DistributedTrainer.Result r = new DistributedTrainer(sc, runtime)
        .withPartitionRows(ds.trainPartitionRows()).withValidationRows(ds.validationRows())
        .fit(ds.train(),
        ds.validation(), modelSpec, cfg, start, console::epoch, console::rounds);
    Map<String, Double> candidateVal = SparkEvaluation.evaluate(ds.validation(), modelSpec,
        r.params());
    Optional<Map<String, Double>> currentVal = current.map(v -> SparkEvaluation.evaluate(
        ds.validation(), modelSpec, v.model().params()));
    GateDecision decision = gate.decide(candidateVal, currentVal);
    Candidate candidate = candidate(ds, modelSpec, cfg, r, runtime, candidateVal, decision,
        current, console);
    return record(reg, current, decision, candidate);
  }

  private Candidate candidate(SparkDataset ds, ModelSpec modelSpec, TrainingConfig cfg,
      DistributedTrainer.Result r, RuntimeSettings runtime, Map<String, Double> valMetrics,
      GateDecision decision, Optional<Version> current, Console console) {
    Map<String, Double> trainMetrics = SparkEvaluation.evaluate(ds.train(), modelSpec,
        r.params());
    RunReport report = RunReport.of(trainMetrics, valMetrics, r, ds, runtime);
    Map<String, Double> headerMetrics = report.headerMetrics();
    console.results(headerMetrics, report);
    ModelHeader header = ModelHeader.of(modelSpec, ds.featureNames(), ds.classes(),
        ds.standardizer(), cfg, headerMetrics, ds.hashing()).withLabelColumn(ds.labelColumn());
    DataDescription described = new DataDescription(dataPath(), ds.trainRows(),
        ds.validationRows(), ds.skippedRows(), ds.featureNames(), ds.classes());
    return new Candidate(header, r.params(), Map.of("metrics.json", report.toJson(),
        "job.yaml", JobAsRun.yaml(spec),
        "data.json", described.toJson(decision, current.map(Version::name))));
  }

  /** Writes the decision into the registry; a storage failure is exit code 1. */
  private int record(ModelRegistry reg, Optional<Version> current, GateDecision decision,
      Candidate candidate) {
    PrintWriter out = spec.commandLine().getOut();
    String unchanged = current.map(v -> "CURRENT still names " + v.name())
        .orElse("the registry still has no current version");
    try {
      if (decision.promoted()) {
        String name = reg.promote(candidate, current.map(Version::name));
        out.println("promoted " + name + ": " + decision.reason());
        out.flush();
        return PROMOTED;
      }
      String name = reg.reject(candidate, Instant.now());
      out.println("rejected, kept at " + name + ": " + decision.reason() + "; " + unchanged);
      out.flush();
      return REJECTED;
    } catch (ModelRegistry.CurrentMovedException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("sparkps retrain did not promote: " + e.getMessage());
      err.flush();
      return FAILED;
    } catch (IOException | RuntimeException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("sparkps retrain failed: could not record the candidate in "
          + reg.store().location() + ": " + e + "; " + unchanged + ", so run retrain again");
      err.flush();
      return FAILED;
    }
  }

  private void checkColumns(Version v, SparkDataset ds) {
    ModelColumns.check(v.model().header(), ds, "the data at " + dataPath());
    java.util.List<String> expected = v.model().header().featureNames();
    if (!expected.equals(ds.featureNames())) {
      throw new IllegalArgumentException("the current model " + v.name() + " of " + registry
          + " was trained on " + expected.size() + " features " + abbreviate(expected)
          + " but the data at " + dataPath() + " has " + ds.features() + " "
          + abbreviate(ds.featureNames()) + "; retrain on data with the model's columns, or "
          + "start a new registry for the new ones");
    }
  }

  private String dataPath() {
    return data.data() != null ? data.data() : "the bundled sample";
  }

  private static String abbreviate(java.util.List<String> names) {
    return names.size() <= 6 ? names.toString()
        : "[" + String.join(", ", names.subList(0, 5)) + ", ... " + names.get(names.size() - 1)
            + "]";
  }
}
