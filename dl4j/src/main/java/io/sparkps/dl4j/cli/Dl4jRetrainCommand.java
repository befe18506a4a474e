package io.sparkps.dl4j.cli;

import io.sparkps.core.data.LabelEncoder;
import io.sparkps.core.model.Task;
import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.dl4j.Dl4jNet;
import io.sparkps.dl4j.Dl4jTrainer;
import io.sparkps.dl4j.NetBlock;
import io.sparkps.dl4j.NetBlocks;
import io.sparkps.dl4j.NetEvaluation;
import io.sparkps.dl4j.NetworkSource;
import io.sparkps.dl4j.OutputSpec;
import io.sparkps.driver.cli.DataOptions;
import io.sparkps.driver.cli.JobAsRun;
import io.sparkps.driver.cli.RetrainCommand;
import io.sparkps.driver.cli.SparkOptions;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.Standardization;
import io.sparkps.driver.registry.DataDescription;
import io.sparkps.driver.registry.GateDecision;
import io.sparkps.driver.registry.ModelRegistry;
import io.sparkps.driver.registry.PromotionGate;
import io.sparkps.driver.registry.RegistryStore;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparkps retrain} of a registry of DL4J networks: the driver's {@code retrain} (same
 * registry layout, versions, {@code CURRENT} pointer, lock, gate and exit codes:
 * {@link ModelRegistry}, {@link PromotionGate}) with DL4J model directories as versions. The
 * candidate warm-starts from the current version's DL4J zip (its parameters; with
 * {@code --local-steps} also its updater state), trains on the new data, and is compared with
 * the current network on the same validation rows. The first version comes from
 * {@code --dl4j-config}, {@code --keras} (trained from their initialization) or
 * {@code --from-model} (a {@code train --model dl4j} directory, warm).
 */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Retrains the current DL4J network of a registry on new data and promotes the "
        + "candidate to the next version unless its validation metric is worse than the "
        + "current network's on the same rows by more than --margin.",
        "The current version fixes the network, its classes and feature columns; the first "
            + "version takes the network from --dl4j-config, --keras or --from-model."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:promoted: CURRENT names the new version",
        "3:rejected by the gate: the candidate is kept under rejected/<timestamp>, CURRENT "
            + "is unchanged",
        "2:bad input or usage (options, data, registry contents); CURRENT is unchanged",
        "1:failure (training, storage, or CURRENT moved by another retrain since this one "
            + "read it); this run left CURRENT unchanged and can be repeated"})
public final class Dl4jRetrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--registry", paramLabel = "DIR", required = true,
      description = "Registry directory, a local path. Created by the first run.")
  Path registry;

  @Option(names = "--model", paramLabel = "dl4j", defaultValue = "dl4j",
      description = "dl4j (the only model of this command). Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--dl4j-config", paramLabel = "FILE",
      description = "First version only: a DL4J configuration in JSON.")
  Path config;

  @Option(names = "--keras", paramLabel = "FILE",
      description = "First version only: a Keras model file (HDF5).")
  Path keras;

  @Option(names = "--from-model", paramLabel = "DIR",
      description = "First version only: warm-start from a 'train --model dl4j' directory.")
  Path fromModel;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Mixin
  Dl4jTrainingOptions training = new Dl4jTrainingOptions();

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "auto",
      description = "Validation metric of the gate: logLoss (the output layer's loss) or "
          + "accuracy for classifiers, rmse, mae or r2 for regression; auto is logLoss or rmse. "
          + "Default: ${DEFAULT-VALUE}.")
  String metric;

  @Option(names = "--margin", paramLabel = "X", defaultValue = "0",
      description = "How much worse than the current network the candidate may be, in the "
          + "metric's units. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of rows held out to compare the networks. Default: ${DEFAULT-VALUE}.")
  double validation;

  /** The current version: its name and network. */
  private record Current(String name, Dl4jModelDir.Loaded model) {
  }

  @Override
  public Integer call() throws Exception {
    if (!(validation > 0 && validation < 1)) {
      throw new IllegalArgumentException("--validation must be above 0 and below 1, got "
          + validation + "; the gate compares the networks on the held-out rows");
    }
    if (!model.equals("dl4j")) {
      throw new IllegalArgumentException("--model must be dl4j for a registry of DL4J networks, "
          + "got '" + model + "'");
    }
    SparkSession spark = sparkOptions.session("SparkPS retrain dl4j");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ModelRegistry reg = new ModelRegistry(RegistryStore.open(registry.toString(),
        sc.hadoopConfiguration()));
    Optional<Current> current = current(reg);
    Dl4jModelDir.Loaded start = current.map(Current::model).orElseGet(this::firstNetwork);
    OutputSpec output = OutputSpec.of(start.net());
    RuntimeSettings runtime = sparkOptions.runtime(sc.defaultParallelism());
    spec.findOption("--workers").setValue(runtime.workers());
    LabelSpec labels = start.metadata() == null ? LabelSpec.fit(output.task())
        : LabelSpec.trained(LabelEncoder.forClasses(start.metadata().task(),
            start.metadata().classes()));
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(labels, runtime.workers())
        .withValidation(validation, training.seed)
        .withStandardization(Standardization.none())
        .withEncoding(RowEncoding.dense()));
    try {
      if (start.metadata() != null && !start.metadata().featureNames().isEmpty()
          && !start.metadata().featureNames().equals(ds.featureNames())) {
        throw new IllegalArgumentException("the network " + current.map(Current::name)
            .orElse(String.valueOf(fromModel)) + " was trained on the feature columns "
            + start.metadata().featureNames() + " but the data at " + dataPath() + " has "
            + ds.featureNames() + "; retrain on data with the network's columns, or start a "
            + "new registry");
      }
      output.check(ds.classes(), ds.features(), dataPath());
      return retrain(sc, runtime, reg, current, start.net(), output, ds);
    } finally {
      ds.unpersist();
    }
  }

  private Optional<Current> current(ModelRegistry reg) throws java.io.IOException {
    Optional<String> pointer = reg.store().readPointer();
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    if (config != null || keras != null || fromModel != null) {
      throw new IllegalArgumentException(registry + " already has a current version, "
          + pointer.get() + ", which fixes the network; leave out --dl4j-config, --keras and "
          + "--from-model, or start a new registry");
    }
    Path dir = registry.resolve(pointer.get());
    if (!Dl4jModelDir.isModel(dir)) {
      throw new IllegalArgumentException("CURRENT of " + registry + " names " + pointer.get()
          + ", which is not a DL4J model directory (" + Dl4jModelDir.MODEL_ZIP + " and "
          + Dl4jModelDir.METADATA + "); retrain a registry of SparkPS's own models without "
          + "the sparkps-dl4j options");
    }
    return Optional.of(new Current(pointer.get(), Dl4jModelDir.read(dir)));
  }

  /** The first version's network: from a model directory (warm) or a configuration (fresh). */
  private Dl4jModelDir.Loaded firstNetwork() {
    int given = (config != null ? 1 : 0) + (keras != null ? 1 : 0) + (fromModel != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException(registry + " has no current version yet: give the "
          + "network of the first one as exactly one of --dl4j-config FILE, --keras FILE or "
          + "--from-model DIR");
    }
    try {
      return fromModel != null ? Dl4jModelDir.read(fromModel) : new Dl4jModelDir.Loaded(
          config != null ? NetworkSource.fromConfigFile(config) : NetworkSource.fromKeras(keras),
          null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + fromModel + ": " + e.getMessage(), e);
    }
  }

  private int retrain(JavaSparkContext sc, RuntimeSettings runtime, ModelRegistry reg,
      Optional<Current> current, Dl4jNet net, OutputSpec output, SparkDataset ds)
      throws Exception {
    PromotionGate gate = PromotionGate.of(metric.equals("auto") ? Optional.empty()
        : Optional.of(metric), margin, output.task() == Task.BINARY ? Task.MULTICLASS
        : output.task());
    PrintWriter out = spec.commandLine().getOut();
    spec.commandLine().getErr().println(current.map(c -> "warm start from " + c.name() + " of "
        + registry).orElse("first version of " + registry + (fromModel != null
        ? ", warm start from " + fromModel : "")));
    JavaRDD<NetBlock> train = NetBlocks.of(ds.train(), output);
    JavaRDD<NetBlock> val = NetBlocks.of(ds.validation(), output);
    try {
      // the current network is measured before training changes it into the candidate
      Optional<Map<String, Double>> currentVal = current.map(c -> gateMetrics(
          NetEvaluation.of(sc, net, output, val), output));
      try (Dl4jTrainer trainer = new Dl4jTrainer(sc, training.settings(runtime))) {
        trainer.fit(net, train, training.epochs, e -> out.printf(Locale.ROOT,
            "epoch %3d  loss %.6f  rounds %d  %.2f s%n", e.epoch(), e.meanLoss(), e.rounds(),
            e.seconds()));
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      NetEvaluation.of(sc, net, output, train).forEach((k, v) -> metrics.put("train." + k, v));
      Map<String, Double> candidateVal = gateMetrics(NetEvaluation.of(sc, net, output, val),
          output);
      candidateVal.forEach((k, v) -> metrics.put("validation." + k, v));
      GateDecision decision = gate.decide(candidateVal, currentVal);
      return record(reg, current, decision, net, output, ds, metrics);
    } finally {
      train.unpersist(false);
      val.unpersist(false);
    }
  }

  /** NetEvaluation's metrics, with the classifier's loss also named as the gate's logLoss. */
  static Map<String, Double> gateMetrics(Map<String, Double> m, OutputSpec output) {
    Map<String, Double> out = new LinkedHashMap<>(m);
    if (output.task() != Task.REGRESSION && m.containsKey("loss")) {
      out.put("logLoss", m.get("loss"));
    }
    return out;
  }

  private int record(ModelRegistry reg, Optional<Current> current, GateDecision decision,
      Dl4jNet net, OutputSpec output, SparkDataset ds, Map<String, Double> metrics)
      throws Exception {
    Dl4jModelDir.Metadata meta = new Dl4jModelDir.Metadata(Dl4jModelDir.kind(net),
        output.task(), ds.classes(), ds.featureNames(), metrics);
    DataDescription described = new DataDescription(dataPath(), ds.trainRows(),
        ds.validationRows(), ds.skippedRows(), ds.featureNames(), ds.classes());
    Map<String, String> files = Map.of(
        "metrics.json", new com.fasterxml.jackson.databind.ObjectMapper()
            .writerWithDefaultPrettyPrinter().writeValueAsString(metrics),
        "job.yaml", new String(JobAsRun.yaml(spec), StandardCharsets.UTF_8),
        "data.json", new String(described.toJson(decision, current.map(Current::name)),
            StandardCharsets.UTF_8));
    ModelRegistry.VersionWriter writer = name -> Dl4jModelDir.write(registry.resolve(name), net,
        meta, files, false);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String unchanged = current.map(c -> "CURRENT still names " + c.name())
        .orElse("the registry still has no current version");
    try {
      if (decision.promoted()) {
        out.println("promoted " + reg.promote(current.map(Current::name), writer) + ": "
            + decision.reason());
        out.flush();
        return RetrainCommand.PROMOTED;
      }
      out.println("rejected, kept at " + reg.reject(Instant.now(), writer) + ": "
          + decision.reason() + "; " + unchanged);
      out.flush();
      return RetrainCommand.REJECTED;
    } catch (ModelRegistry.CurrentMovedException e) {
      err.println("sparkps retrain did not promote: " + e.getMessage());
      err.flush();
      return RetrainCommand.FAILED;
    } catch (java.io.IOException | RuntimeException e) {
      err.println("sparkps retrain failed: could not record the candidate in " + registry
          + ": " + e + "; " + unchanged + ", so run retrain again");
      err.flush();
      return RetrainCommand.FAILED;
    }
  }

  private String dataPath() {
    return data.data() != null ? data.data() : "the bundled sample";
  }
}
