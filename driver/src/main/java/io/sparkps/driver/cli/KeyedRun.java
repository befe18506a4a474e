package io.sparkps.driver.cli;

import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.io.ModelJson;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.EpochStats;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.data.SparkDataset;
import io.sparkps.driver.io.HadoopModels;
import io.sparkps.driver.predict.KeyedModel;
import io.sparkps.driver.train.KeyedTrainer;
import io.sparkps.driver.train.RunCheckpoint;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train --ps-layout keyed}: a sparse model trained through a keyed job
 * ({@link KeyedTrainer}); the shards write the model into {@code --out} as
 * {@code keyed/part-SSSSS-of-TTTTT.spkw}, and the driver writes the header beside them as
 * {@code keyed.json} (written last, through a temporary name: a directory with it is complete).
 */
final class KeyedRun {
  private final CommandSpec spec;
  private final String out;
  private final boolean overwrite;

  KeyedRun(CommandSpec spec, String out, boolean overwrite) {
    this.spec = spec;
    this.out = out;
    this.overwrite = overwrite;
  }

  /** A keyed model directory's header and its absolute URI. */
  record Header(ModelHeader header, String dir) {
  }

  /** The header of the keyed model at {@code location}, or empty when it is not keyed. */
  static java.util.Optional<Header> header(String location,
      org.apache.hadoop.conf.Configuration conf) throws IOException {
    Path dir = new Path(location);
    FileSystem fs = dir.getFileSystem(conf);
    Path h = new Path(dir, KeyedModel.HEADER);
    if (!fs.exists(h)) {
      return java.util.Optional.empty();
    }
    try (java.io.InputStream in = fs.open(h)) {
      ModelHeader header = ModelJson.newMapper().readValue(in.readAllBytes(), ModelHeader.class);
      return java.util.Optional.of(new Header(header, fs.makeQualified(dir).toUri().toString()));
    }
  }

  /** Whether {@code layout} asks for the keyed layout; fails on an unknown name. */
  static boolean requested(String layout) {
    return switch (layout) {
      case "keyed" -> true;
      case "dense" -> false;
      default -> throw new IllegalArgumentException("--ps-layout must be dense or keyed, got '"
          + layout + "'.");
    };
  }

  /**
   * Trains and writes the model; with {@code run} the run checkpoints there, and with
   * {@code resumed} it continues that run ({@code resume}: its last recorded epoch, if any).
   */
  int train(JavaSparkContext sc, RuntimeSettings runtime, java.util.Optional<RunCheckpoint> run,
      boolean resumed, java.util.Optional<RunCheckpoint.Resumed> resume, SparkDataset ds,
      ModelSpec modelSpec, TrainingConfig cfg, Console console) throws IOException {
    if (out == null) {
      throw new IllegalArgumentException("--ps-layout keyed writes the model from the servers "
          + "into a directory; give it with --out DIR.");
    }
    Path dir = new Path(out);
    FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
    dir = fs.makeQualified(dir);
    // a resumed run's directory is its own: it may hold what the run wrote before it died
    if (!overwrite && !resumed
        && (fs.exists(new Path(dir, KeyedModel.HEADER))
        || fs.exists(new Path(dir, KeyedModel.PARTS)))) {
      throw new IllegalArgumentException(dir + " already holds a keyed model; pass --overwrite "
          + "to replace it or choose another --out");
    }
    if (overwrite && !resumed) {
      fs.delete(new Path(dir, KeyedModel.HEADER), false);
      fs.delete(new Path(dir, KeyedModel.PARTS), true);
    }
    URI target = dir.toUri();
    KeyedTrainer trainer = new KeyedTrainer(sc, runtime);
    KeyedTrainer.Result r = (run.isPresent() ? trainer.withCheckpoints(run.get(), resumed)
        : trainer).fit(ds.train(), ds.validation(), modelSpec, cfg, target, console::epoch,
        resume);
    EpochStats last = r.history().stream().filter(e -> e.epoch() == r.modelEpoch())
        .reduce((a, b) -> b).orElse(r.history().get(r.history().size() - 1));
    Map<String, Double> metrics = Double.isNaN(last.validationLoss()) ? Map.of("trainLoss",
        last.trainLoss()) : Map.of("trainLoss", last.trainLoss(), "logLoss",
        last.validationLoss());
    ModelHeader header = ModelHeader.of(modelSpec, ds.featureNames(), ds.classes(),
        ds.standardizer(), cfg, metrics, ds.hashing());
    HadoopModels.writeReplacing(fs, new Path(dir, "metrics.json"), metricsJson(r));
    // last: the model is complete
    HadoopModels.writeReplacing(fs, new Path(dir, KeyedModel.HEADER), ModelJson.toBytes(header));
    spec.commandLine().getOut().println(r.stopReason());
    spec.commandLine().getOut().println("keyed model (" + r.keysWritten() + " keys, epoch "
        + r.modelEpoch() + ") written to " + dir);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** What metrics.json holds for a keyed run. */
  static byte[] metricsJson(KeyedTrainer.Result r) throws IOException {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("layout", "keyed");
    m.put("epochs", r.history().size());
    m.put("modelEpoch", r.modelEpoch());
    m.put("stopped", r.stopped());
    m.put("stopReason", r.stopReason());
    m.put("rounds", r.rounds());
    m.put("bytesExchanged", r.bytesExchanged());
    m.put("keysWritten", r.keysWritten());
    m.put("recoveries", r.recoveries());
    m.put("history", r.history().stream().map(e -> {
      Map<String, Object> h = new java.util.LinkedHashMap<>();
      h.put("epoch", e.epoch());
      h.put("trainLoss", finite(e.trainLoss()));
      h.put("validationLoss", finite(e.validationLoss()));
      h.put("rows", e.rows());
      h.put("seconds", e.seconds());
      return h;
    }).toList());
    return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(m);
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
