package io.sparkps.driver.cli;

import io.sparkps.core.data.Dataset;
import io.sparkps.core.data.Shuffle;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.ModelFile;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.metrics.ModelEvaluator;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.ReferenceTrainer;
import io.sparkps.core.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparkps train}: reads data, trains a model, reports metrics, saves the model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a model and prints its training and validation metrics.",
        "Without --data it trains on the bundled sample (breast cancer, 569 rows)."})
public final class TrainCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions data = new DataOptions();

  @Mixin
  ModelOptions model = new ModelOptions();

  @Mixin
  AlgorithmOptions algorithm = new AlgorithmOptions();

  @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of rows held out for validation and early stopping. Default: "
          + "${DEFAULT-VALUE}.")
  double validation;

  @Option(names = "--no-standardize",
      description = "Train on the raw features instead of standardizing them.")
  boolean noStandardize;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the trained model to this directory (not saved when absent).")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing model at --out.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    if (out != null && !overwrite && java.nio.file.Files.exists(out)) {
      throw new IllegalArgumentException(out + " already exists; pass --overwrite to replace it "
          + "or choose another --out");
    }
    Dataset ds = model.readData(data);
    Shuffle.Split split = Shuffle.split(ds.block(), validation, algorithm.seed);
    TrainingConfig config = algorithm.toConfig(validation,
        (split.train().rows() + algorithm.batchSize - 1) / Math.max(1, algorithm.batchSize));
    Standardizer std = noStandardize ? Standardizer.identity(ds.block().cols())
        : Standardizer.fit(split.train());
    std.applyInPlace(split.train());
    std.applyInPlace(split.validation());
    ModelSpec modelSpec = model.toSpec(ds);
    Model m = modelSpec.build();
    err.printf("training %s %s on %d rows x %d features (%d for validation), %d parameters%n",
        modelSpec.kind().name().toLowerCase(java.util.Locale.ROOT),
        java.util.Arrays.toString(modelSpec.layerSizes()), split.train().rows(), ds.block().cols(),
        split.validation().rows(), m.parameterCount());
    err.flush();
    ReferenceTrainer trainer = new ReferenceTrainer(m, config);
    ReferenceTrainer.Result result = trainer.fit(split.train(),
        split.validation().rows() > 0 ? split.validation() : null, trainer.initialParams(),
        stats -> progress(err, stats, config.epochs()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    ModelEvaluator.evaluate(m, result.params(), split.train())
        .forEach((k, v) -> metrics.put("train." + k, v));
    if (split.validation().rows() > 0) {
      ModelEvaluator.evaluate(m, result.params(), split.validation())
          .forEach((k, v) -> metrics.put("validation." + k, v));
    }
    metrics.forEach((k, v) -> outWriter.printf("%-22s %.6f%n", k, v));
    if (out != null) {
      ModelHeader header = ModelHeader.of(modelSpec, ds.featureNames(), ds.classes(), std, config,
          metrics);
      ModelFile.write(out, header, result.params(),
          overwrite ? ModelFile.Mode.REPLACE_EXISTING : ModelFile.Mode.CREATE_NEW);
      outWriter.println("model written to " + out.toAbsolutePath());
    }
    outWriter.flush();
    return 0;
  }

  private static void progress(PrintWriter err, EpochStats s, int epochs) {
    err.printf("epoch %d/%d: loss %.5f%s, %.0f rows/s%n", s.epoch(), epochs, s.trainLoss(),
        Double.isNaN(s.validationLoss()) ? "" : String.format(", validation loss %.5f",
            s.validationLoss()), s.rowsPerSecond());
    err.flush();
  }
}
