package io.sparkps.dl4j.cli;

import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.dl4j.Dl4jNet;
import io.sparkps.dl4j.Dl4jTrainer;
import io.sparkps.dl4j.NetBlock;
import io.sparkps.dl4j.NetBlocks;
import io.sparkps.dl4j.NetEvaluation;
import io.sparkps.dl4j.NetworkSource;
import io.sparkps.dl4j.OutputSpec;
import io.sparkps.dl4j.Dl4jCheckpoints;
import io.sparkps.driver.cli.DataOptions;
import io.sparkps.driver.cli.JobAsRun;
import io.sparkps.driver.cli.SparkOptions;
import io.sparkps.driver.data.LabelSpec;
import io.sparkps.driver.data.RowEncoding;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.data.Standardization;
import io.sparkps.driver.train.RunCheckpoint;
import io.sparkps.driver.train.RuntimeSettings;
import java.nio.file.Path;
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
 * {@code sparkps train --model dl4j}: a DL4J network from {@code --dl4j-config} (JSON) or
 * {@code --keras} (HDF5), trained with SparkPS's parameter server on the data options of
 * {@code train}, evaluated, and written as a model directory ({@link Dl4jModelDir}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a deeplearning4j network (--dl4j-config or --keras) on Spark with the "
        + "parameter server and prints its training and validation metrics.",
        "Features are the data's columns in order (the network's input type reshapes them); "
            + "class labels are one-hot over the output layer, which must have one output per "
            + "class."})
public final class Dl4jTrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "dl4j", defaultValue = "dl4j",
      description = "dl4j (the only model of this command). Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--dl4j-config", paramLabel = "FILE",
      description = "A MultiLayerConfiguration or ComputationGraphConfiguration in DL4J's JSON.")
  Path config;

  @Option(names = "--keras", paramLabel = "FILE",
      description = "A Keras model file (HDF5, Sequential or functional, saved after compile).")
  Path keras;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  SparkOptions sparkOptions = new SparkOptions();

  @Mixin
  Dl4jTrainingOptions training = new Dl4jTrainingOptions();

  @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of rows held out for validation. Default: ${DEFAULT-VALUE}.")
  double validation;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the model directory (DL4J's model zip, sparkps-dl4j.json, "
          + "metrics.json) here, a local path.")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing model at --out.")
  boolean overwrite;

  /** Set by {@code resume}: the run to continue; otherwise a --checkpoint-dir is claimed. */
  Optional<RunCheckpoint> resumedRun = Optional.empty();

  @Override
  public Integer call() throws Exception {
    if (!model.equals("dl4j")) {
      throw new IllegalArgumentException("--model must be dl4j with --dl4j-config or --keras, "
          + "got '" + model + "'");
    }
    if (training.epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got "
          + training.epochs);
    }
    if ((config == null) == (keras == null)) {
      throw new IllegalArgumentException("give the network as exactly one of --dl4j-config FILE "
          + "(DL4J JSON) or --keras FILE (HDF5)");
    }
    if (out != null && !overwrite && java.nio.file.Files.exists(out)) {
      throw new IllegalArgumentException(out + " already exists; pass --overwrite to replace it "
          + "or choose another --out");
    }
    Dl4jNet net = config != null ? NetworkSource.fromConfigFile(config)
        : NetworkSource.fromKeras(keras);
    OutputSpec output = OutputSpec.of(net);
    SparkSession spark = sparkOptions.session("SparkPS train dl4j");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RuntimeSettings runtime = sparkOptions.runtime(sc.defaultParallelism());
    spec.findOption("--workers").setValue(runtime.workers()); // job.yaml records the real count
    Dl4jCheckpoints checkpoints = checkpoints(sc, runtime);
    SparkDataset ds = new SparkDataLoader(spark).load(data.request(
        LabelSpec.fit(output.task()), runtime.workers())
        .withValidation(validation, training.seed)
        .withStandardization(Standardization.none())
        .withEncoding(RowEncoding.dense()));
    try {
      output.check(ds.classes(), ds.features(),
          data.data() == null ? "the bundled sample" : data.data());
      return train(sc, runtime, checkpoints, net, output, ds);
    } finally {
      ds.unpersist();
    }
  }

  /** The run resumed, or the --checkpoint-dir claimed for a new one (its job.yaml written). */
  private Dl4jCheckpoints checkpoints(JavaSparkContext sc, RuntimeSettings runtime) {
    if (resumedRun.isPresent()) {
      return Dl4jCheckpoints.resume(resumedRun.get());
    }
    return runtime.checkpointDir().map(d -> {
      RunCheckpoint run = RunCheckpoint.create(d, sc.hadoopConfiguration());
      run.writeJob(JobAsRun.checkpointYaml(spec));
      return Dl4jCheckpoints.create(run);
    }).orElseGet(Dl4jCheckpoints::none);
  }

  private int train(JavaSparkContext sc, RuntimeSettings runtime, Dl4jCheckpoints checkpoints,
      Dl4jNet net, OutputSpec output, SparkDataset ds) throws java.io.IOException {
    java.io.PrintWriter console = spec.commandLine().getOut();
    console.printf(Locale.ROOT, "training %s (%d parameters, %s) on %d rows x %d features, %d "
        + "workers, %s%n", Dl4jModelDir.kind(net), net.parameterCount(), output.loss(),
        ds.trainRows(), ds.features(), runtime.workers(), training.localSteps == 0
            ? "workers push gradients" : training.localSteps + " local steps of DL4J's updater");
    JavaRDD<NetBlock> train = NetBlocks.of(ds.train(), output);
    JavaRDD<NetBlock> val = NetBlocks.of(ds.validation(), output);
    Dl4jTrainer.PushAccount pushes;
    try (Dl4jTrainer trainer = new Dl4jTrainer(sc, training.settings(runtime), checkpoints)) {
      int done = trainer.resume(net, train);
      if (checkpoints.resuming()) {
        console.printf(Locale.ROOT, "resumed run %s after epoch %d of %d%n",
            checkpoints.runId(), done, training.epochs);
      }
      trainer.fit(net, train, Math.max(0, training.epochs - done), e -> console.printf(
          Locale.ROOT, "epoch %3d  loss %.6f  rounds %d  %.2f s%n", e.epoch(), e.meanLoss(), e.rounds(),
          e.seconds()));
      pushes = trainer.pushAccount();
    }
    console.printf(Locale.ROOT, "%d rounds on the parameter server, %d duplicate pushes "
        + "ignored, %d irregular rounds%n", pushes.rounds(), pushes.duplicates(),
        pushes.irregularRounds());
    Map<String, Double> metrics = new LinkedHashMap<>();
    NetEvaluation.of(sc, net, output, train).forEach((k, v) -> metrics.put("train." + k, v));
    NetEvaluation.of(sc, net, output, val).forEach((k, v) -> metrics.put("validation." + k, v));
    metrics.forEach((k, v) -> console.printf(Locale.ROOT, "%-22s %.6f%n", k, v));
    train.unpersist(false);
    val.unpersist(false);
    if (out != null) {
      Dl4jModelDir.Metadata meta = new Dl4jModelDir.Metadata(Dl4jModelDir.kind(net),
          output.task(), ds.classes(), ds.featureNames(), metrics);
      // metrics.json: the metrics, then the server's account of the pushes (as train writes)
      Map<String, Object> file = new LinkedHashMap<>(metrics);
      file.put("rounds", pushes.rounds());
      file.put("duplicatePushes", pushes.duplicates());
      file.put("irregularRounds", pushes.irregularRounds());
      String json = new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(file);
      Dl4jModelDir.write(out, net, meta, Map.of("metrics.json", json), overwrite);
      console.println("model written to " + out);
    }
    console.flush();
    return 0;
  }
}
