package io.sparkps.driver.ml;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.DenseSpec;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.io.HadoopModels;
import io.sparkps.driver.predict.KeyedModel;
import io.sparkps.driver.predict.SparseChunks;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * What both Spark ML models hold: the trained SparkPS model (spec, parameters, standardization,
 * settings), its chunked scoring of DataFrame rows, and its storage in SparkPS's own model
 * format (so a model saved from Spark ML also loads in {@code sparkps evaluate} and
 * {@code predict}).
 *
 * <p>A keyed model ({@code psLayout} keyed) holds no parameters ({@code params} is empty): its
 * rows stay in the keyed model directory {@code keyedDir} (an absolute Hadoop URI;
 * {@link KeyedModel}), and {@code transform} scores each partition a chunk of {@value #CHUNK}
 * rows at a time, looking up only the chunk's distinct keys in the part files. A task holds one
 * chunk's keys' rows, the dense tail and each part's block index (24 bytes per block of keys),
 * never the model. {@code keyedDir} is "" for a model that holds its parameters.
 */
record TrainedModel(ModelSpec spec, float[] params, Standardizer standardizer,
    TrainingConfig training, String keyedDir) implements Serializable {
  private static final int CHUNK = 4096;

  /** A model that holds its parameters. */
  TrainedModel(ModelSpec spec, float[] params, Standardizer standardizer,
      TrainingConfig training) {
    this(spec, params, standardizer, training, "");
  }

  /** Whether the rows are in a keyed model directory rather than in {@link #params}. */
  boolean keyed() {
    return !keyedDir.isEmpty();
  }

  /** Appends the outputs of one scored row, {@code y[off..off+k)}, to the row. */
  @FunctionalInterface
  interface Outputs extends Serializable {
    Row append(Row row, float[] y, int off, int k);
  }

  /** {@code dataset} with what {@code outputs} appends, as {@code schema} describes it. */
  Dataset<Row> transform(Dataset<?> dataset, String featuresCol, StructType schema,
      Outputs outputs) {
    int col = dataset.schema().fieldIndex(featuresCol);
    TrainedModel m = this;
    return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
        m.score(rows, col, outputs), Encoders.row(schema));
  }

  /** The model's outputs for one feature vector (one probability for binary models). */
  float[] scoreOne(Vector features) {
    float[][] out = new float[1][];
    score(List.of(RowFactory.create(features)).iterator(), 0, (row, y, off, k) -> {
      out[0] = java.util.Arrays.copyOfRange(y, off, off + k);
      return row;
    }).next();
    return out[0];
  }

  private Iterator<Row> score(Iterator<Row> rows, int col, Outputs outputs) {
    if (keyed()) {
      try (KeyedModel km = KeyedModel.open(java.net.URI.create(keyedDir),
          new org.apache.hadoop.conf.Configuration())) {
        return SparseChunks.score(rows, spec, (b, n, out) -> km.predict(b, 0, n, out), 0, CHUNK,
            (row, out) -> sparseEntries(row, col, out), outputs::append);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the keyed model at " + keyedDir + " failed: "
            + e.getMessage(), e);
      }
    }
    if (!(spec instanceof DenseSpec)) {
      return SparseChunks.score(rows, spec, params, 0, CHUNK,
          (row, out) -> sparseEntries(row, col, out), outputs::append);
    }
    Model model = spec.build();
    int d = spec.inputs();
    int k = model.outputs();
    Model.Workspace ws = model.newWorkspace(CHUNK);
    List<Row> result = new ArrayList<>();
    List<Row> chunk = new ArrayList<>(CHUNK);
    float[] x = new float[CHUNK * d];
    float[] y = new float[CHUNK * k];
    while (rows.hasNext()) {
      chunk.add(rows.next());
      if (chunk.size() < CHUNK && rows.hasNext()) {
        continue;
      }
      java.util.Arrays.fill(x, 0f);
      for (int i = 0; i < chunk.size(); i++) {
        Vector v = chunk.get(i).getAs(col);
        if (v.size() != d) {
          throw new IllegalArgumentException("a feature vector has " + v.size()
              + " entries but the model takes " + d);
        }
        int off = i * d;
        v.foreachActive((j, value) -> {
          x[off + (int) j] = (float) (double) value;
          return null;
        });
      }
      ExampleBlock b = new ExampleBlock(chunk.size(), d, x, new float[chunk.size()]);
      standardizer.applyInPlace(b);
      model.predict(params, b, 0, chunk.size(), y, ws);
      for (int i = 0; i < chunk.size(); i++) {
        result.add(outputs.append(chunk.get(i), y, i * k, k));
      }
      chunk.clear();
    }
    return result.iterator();
  }

  private void sparseEntries(Row row, int col, io.sparkps.core.data.SparseRow out) {
    Vector v = row.getAs(col);
    if (v.size() > spec.inputs()) {
      throw new IllegalArgumentException("a feature vector has " + v.size()
          + " entries but the model takes " + spec.inputs());
    }
    io.sparkps.driver.data.VectorRows.entries(v, out);
  }

  /**
   * Writes the model directory to {@code target} by renaming a finished temporary copy into
   * place, so a crash never leaves a partial {@code data} directory for {@code load} to find.
   */
  void save(Path target, SparkContext sc) {
    if (keyed()) {
      KeyedModels.copy(keyedDir, target, sc.hadoopConfiguration());
      return;
    }
    try {
      // a sparse model's inputs are vector slots: no per-slot names (there may be 2^20)
      List<String> names = spec instanceof DenseSpec
          ? ModelHeader.defaultFeatureNames(spec.inputs()) : List.of();
      List<String> labels = new ArrayList<>();
      for (int c = 0; spec.task().isClassification() && c < Math.max(2, spec.outputs()); c++) {
        labels.add(Integer.toString(c));
      }
      HadoopModels.at(target, sc.hadoopConfiguration()).write(target, ModelHeader.of(spec,
          names, labels, standardizer, training, Map.of()), params, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + target + ": "
          + e.getMessage(), e);
    }
  }

  /** Reads the model directory {@code data} that {@link #save} wrote. */
  static TrainedModel load(Path data, SparkContext sc) {
    java.util.Optional<TrainedModel> keyed = KeyedModels.load(data, sc.hadoopConfiguration());
    if (keyed.isPresent()) {
      return keyed.get();
    }
    try {
      LoadedModel m = HadoopModels.at(data, sc.hadoopConfiguration()).read(data);
      return new TrainedModel(m.header().spec(), m.params(), m.header().standardization(),
          m.header().training());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + data.getParent() + ": "
          + e.getMessage(), e);
    }
  }
}
