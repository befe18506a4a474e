package io.sparkps.driver.ml;

import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelHeader;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.driver.io.HadoopModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained SparkPS model as a Spark ML {@link org.apache.spark.ml.Model}: {@code transform}
 * appends {@code prediction} (and, for classifiers, {@code probability}); {@code write()} saves
 * Spark's parameter metadata plus the model in SparkPS's own format under {@code data/}, so the
 * model also loads in {@code sparkps evaluate} and {@code predict}.
 *
 * @param <M> the concrete model type
 */
public abstract class SparkPSModel<M extends SparkPSModel<M>> extends org.apache.spark.ml.Model<M>
    implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 4096;

  private final String uid;
  private final Param<String> featuresCol;
  private final ModelSpec spec;
  private final float[] params;
  private final Standardizer standardizer;
  private final TrainingConfig training;

  protected SparkPSModel(String uid, ModelSpec spec, float[] params, Standardizer standardizer,
      TrainingConfig training) {
    this.uid = uid;
    this.featuresCol = new Param<>(uid, "featuresCol", "features column (Spark ML vectors)");
    this.spec = spec;
    this.params = params;
    this.standardizer = standardizer;
    this.training = training;
    setDefault(featuresCol, "features");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The trained parameter vector (a copy). */
  public float[] parameters() {
    return params.clone();
  }

  /** The schema {@code transform} produces. */
  static StructType outputSchema(StructType in, boolean classifier) {
    StructType out = in.add("prediction", DataTypes.DoubleType, false);
    return classifier ? out.add("probability", SQLDataTypes.VectorType(), false) : out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, spec.task().isClassification());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    int col = dataset.schema().fieldIndex((String) getOrDefault(featuresCol));
    ModelSpec s = spec;
    float[] p = params;
    Standardizer std = standardizer;
    return dataset.toDF().mapPartitions(
        (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows ->
            score(rows, s, p, std, col), Encoders.row(out));
  }

  private static Iterator<Row> score(Iterator<Row> rows, ModelSpec spec, float[] params,
      Standardizer std, int col) {
    if (!(spec instanceof io.sparkps.core.model.DenseSpec)) {
      return scoreSparse(rows, spec, params, col);
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
        int off = i * d;
        v.foreachActive((j, value) -> {
          x[off + (int) j] = (float) (double) value;
          return null;
        });
      }
      ExampleBlock b = new ExampleBlock(chunk.size(), d, x, new float[chunk.size()]);
      std.applyInPlace(b);
      model.predict(params, b, 0, chunk.size(), y, ws);
      for (int i = 0; i < chunk.size(); i++) {
        result.add(append(chunk.get(i), spec, y, i * k, k));
      }
      chunk.clear();
    }
    return result.iterator();
  }

  /** Scores a sparse model on the vectors' stored entries, a chunk at a time. */
  private static Iterator<Row> scoreSparse(Iterator<Row> rows, ModelSpec spec, float[] params,
      int col) {
    return io.sparkps.driver.predict.SparseChunks.score(rows, spec, params, 0, CHUNK,
        (row, out) -> {
          Vector v = row.getAs(col);
          if (v.size() > spec.inputs()) {
            throw new IllegalArgumentException("a feature vector has " + v.size()
                + " entries but the model takes " + spec.inputs());
          }
          io.sparkps.driver.data.VectorRows.entries(v, out);
        }, (row, y, off, k) -> append(row, spec, y, off, k));
  }

  private static Row append(Row row, ModelSpec spec, float[] y, int off, int k) {
    boolean classifier = spec.task().isClassification();
    Object[] v = new Object[row.length() + (classifier ? 2 : 1)];
    for (int i = 0; i < row.length(); i++) {
      v[i] = row.get(i);
    }
    if (!classifier) {
      v[row.length()] = (double) y[off];
      return RowFactory.create(v);
    }
    double[] prob = k == 1 ? new double[] {1 - y[off], y[off]} : new double[k];
    for (int j = 0; k > 1 && j < k; j++) {
      prob[j] = y[off + j];
    }
    int best = 0;
    for (int j = 1; j < prob.length; j++) {
      best = prob[j] > prob[best] ? j : best;
    }
    v[row.length()] = (double) best;
    v[row.length() + 1] = Vectors.dense(prob);
    return RowFactory.create(v);
  }

  /** The algorithm settings the model was trained with. */
  public TrainingConfig training() {
    return training;
  }

  protected Standardizer standardizer() {
    return standardizer;
  }

  @Override
  public MLWriter write() {
    SparkPSModel<M> self = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(self, path, sparkSession().sparkContext(),
            scala.Option.empty(), scala.Option.empty());
        saveData(self, new Path(path, "data"), sparkSession().sparkContext());
      }
    };
  }

  /**
   * Writes the model directory to {@code target} by renaming a finished temporary copy into
   * place, so a crash never leaves a partial {@code data} directory for {@code load} to find.
   */
  private static void saveData(SparkPSModel<?> m, Path target, SparkContext sc) {
    try {
      // a sparse model's inputs are vector slots: no per-slot names (there may be 2^20)
      List<String> names = m.spec instanceof io.sparkps.core.model.DenseSpec
          ? ModelHeader.defaultFeatureNames(m.spec.inputs()) : List.of();
      List<String> labels = new ArrayList<>();
      for (int c = 0; m.spec.task().isClassification() && c < Math.max(2, m.spec.outputs());
          c++) {
        labels.add(Integer.toString(c));
      }
      HadoopModels.at(target, sc.hadoopConfiguration()).write(target, ModelHeader.of(m.spec,
          names, labels, m.standardizer, m.training, Map.of()), m.params, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + target + ": "
          + e.getMessage(), e);
    }
  }

  /** Reads what {@link #write()} stored at {@code path}: Spark's metadata and the model. */
  static <T extends SparkPSModel<T>> T load(String path, SparkContext sc, Class<T> type,
      ModelFactory<T> factory) {
    DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sc,
        type.getName());
    LoadedModel m = loadData(path, sc);
    T model = factory.create(meta.uid(), m.header().spec(), m.params(),
        m.header().standardization(), m.header().training());
    meta.getAndSetParams(model, scala.Option.empty());
    return model;
  }

  /** Builds a concrete model from what was saved. */
  interface ModelFactory<T> {
    T create(String uid, ModelSpec spec, float[] params, Standardizer std, TrainingConfig cfg);
  }

  private static LoadedModel loadData(String path, SparkContext sc) {
    Path data = new Path(path, "data");
    try {
      return HadoopModels.at(data, sc.hadoopConfiguration()).read(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + path + ": " + e.getMessage(),
          e);
    }
  }
}
