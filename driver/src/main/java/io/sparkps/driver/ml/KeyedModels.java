package io.sparkps.driver.ml;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.io.ModelJson;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.predict.KeyedModel;
import io.sparkps.driver.train.KeyedTrainer;
import io.sparkps.driver.train.RuntimeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The estimators' keyed layout ({@code psLayout} keyed): training through a keyed job
 * ({@link KeyedTrainer}) whose shards write the model into a directory of its own under {@code
 * keyedModelDir} ({@link FitDirs}: {@code fit-00001}, {@code fit-00002}, ... one per fit, so a
 * {@code CrossValidator} may fit many times), with the header {@code keyed.json} beside the
 * parts, as {@code sparkps train --ps-layout keyed} writes it (so {@code sparkps predict --model}
 * reads the fit's directory); and the ML persistence of such a model, whose {@code data/} is a
 * copy of that directory.
 */
final class KeyedModels {

  private KeyedModels() {
  }

  /** Trains {@code spec} keyed on {@code blocks} into a new fit directory of keyedModelDir. */
  static TrainedModel fit(SparkPSParams<?> p, JavaSparkContext sc, int workers,
      JavaRDD<Block> blocks, ModelSpec spec, TrainingConfig cfg) {
    if (!p.isDefined(p.keyedModelDir())) {
      throw new IllegalArgumentException("psLayout keyed writes the model from the servers into "
          + "a directory that transform reads; set keyedModelDir to a path every executor can "
          + "read (HDFS, S3, or a local path on one machine)");
    }
    Configuration conf = sc.hadoopConfiguration();
    try {
      Path parent = new Path(p.getKeyedModelDir());
      FileSystem fs = parent.getFileSystem(conf);
      Path dir = FitDirs.claim(fs, fs.makeQualified(parent));
      KeyedTrainer.Result r = new KeyedTrainer(sc, RuntimeSettings.embedded(workers)).fit(
          blocks, sc.emptyRDD(), spec, cfg, dir.toUri(), s -> { });
      double loss = r.history().get(r.history().size() - 1).trainLoss();
      ModelHeader header = ModelHeader.of(spec, List.of(), labels(spec), Standardizer.identity(0),
          cfg, Map.of("trainLoss", loss));
      writeHeader(fs, dir, header);
      return new TrainedModel(spec, new float[0], header.standardization(), cfg,
          dir.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("writing the keyed model into " + p.getKeyedModelDir()
          + " failed: " + e.getMessage(), e);
    }
  }

  private static List<String> labels(ModelSpec spec) {
    List<String> labels = new ArrayList<>();
    for (int c = 0; spec.task().isClassification() && c < Math.max(2, spec.outputs()); c++) {
      labels.add(Integer.toString(c));
    }
    return labels;
  }

  /** Writes {@code header} as {@code dir/keyed.json} through a temporary name. */
  static void writeHeader(FileSystem fs, Path dir, ModelHeader header) throws IOException {
    io.sparkps.driver.io.HadoopModels.writeReplacing(fs, new Path(dir, KeyedModel.HEADER),
        ModelJson.toBytes(header));
  }

  /**
   * Copies the keyed model directory {@code from} (its parts and header) to {@code target},
   * through a temporary directory renamed into place: a crash never leaves a partial
   * {@code target}.
   */
  static void copy(String from, Path target, Configuration conf) {
    try {
      Path src = new Path(java.net.URI.create(from));
      FileSystem in = src.getFileSystem(conf);
      FileSystem out = target.getFileSystem(conf);
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      out.delete(tmp, true);
      out.mkdirs(tmp);
      for (String name : List.of(KeyedModel.PARTS, KeyedModel.HEADER)) {
        if (!FileUtil.copy(in, new Path(src, name), out, new Path(tmp, name), false, conf)) {
          throw new IOException("could not copy " + new Path(src, name) + " to " + tmp);
        }
      }
      if (!out.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the keyed model " + from + " to " + target
          + ": " + e.getMessage(), e);
    }
  }

  /** The keyed model saved in {@code data}, or empty when {@code data} holds a dense model. */
  static Optional<TrainedModel> load(Path data, Configuration conf) {
    try {
      FileSystem fs = data.getFileSystem(conf);
      Path h = new Path(data, KeyedModel.HEADER);
      if (!fs.exists(h)) {
        return Optional.empty();
      }
      ModelHeader header;
      try (InputStream in = fs.open(h)) {
        header = ModelJson.newMapper().readValue(in.readAllBytes(), ModelHeader.class);
      }
      return Optional.of(new TrainedModel(header.spec(), new float[0],
          header.standardization(), header.training(),
          fs.makeQualified(data).toUri().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the keyed model at " + data + ": "
          + e.getMessage(), e);
    }
  }
}
