package io.sparkps.driver.ml;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * A regression model trained by {@link SparkPSRegressor}, on MLlib's regressor contract:
 * {@code transform} appends {@code predictionCol} (left out when set to ""), a chunk of rows
 * at a time; {@code predict(features)} scores one vector.
 */
public final class SparkPSRegressionModel extends RegressionModel<Vector, SparkPSRegressionModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid; // set on first uid() call, during super(): see Uids
  private final TrainedModel trained;

  public SparkPSRegressionModel(String uid, ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    this(Uids.park(uid), new TrainedModel(spec, params, standardizer, training));
  }

  private SparkPSRegressionModel(Uids.Parked parked, TrainedModel trained) {
    uid();
    this.trained = trained;
  }

  static SparkPSRegressionModel of(String uid, TrainedModel trained) {
    return new SparkPSRegressionModel(Uids.park(uid), trained);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpsRegressor");
    }
    return uid;
  }

  /** The SparkPS model (layout and task). */
  public ModelSpec spec() {
    return trained.spec();
  }

  /** The trained parameter vector (a copy). */
  public float[] parameters() {
    return trained.params().clone();
  }

  /**
   * The directory of a keyed model ({@code psLayout} keyed): the fit's own directory under
   * {@code keyedModelDir} ({@code .../fit-00001}, an absolute URI; after {@code load}, the saved
   * copy), which {@code sparkps predict --model} also reads; "" for a model that holds its
   * parameters.
   */
  public String keyedDirectory() {
    return trained.keyedDir();
  }

  /** The algorithm settings the model was trained with. */
  public TrainingConfig training() {
    return trained.training();
  }

  @Override
  public int numFeatures() {
    return trained.spec().inputs();
  }

  @Override
  public double predict(Vector features) {
    return trained.scoreOne(features)[0];
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    return trained.transform(dataset, getFeaturesCol(), out, (row, y, off, k) -> {
      Object[] v = new Object[row.length() + 1];
      for (int i = 0; i < row.length(); i++) {
        v[i] = row.get(i);
      }
      v[row.length()] = (double) y[off];
      return RowFactory.create(v);
    });
  }

  @Override
  public SparkPSRegressionModel copy(ParamMap extra) {
    return copyValues(of(uid(), trained), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return ModelPersistence.writer(this, trained);
  }

  /** Spark's pipeline loader calls this by reflection. */
  public static MLReader<SparkPSRegressionModel> read() {
    return ModelPersistence.reader(SparkPSRegressionModel.class, SparkPSRegressionModel::of);
  }

  public static SparkPSRegressionModel load(String path) {
    return read().load(path);
  }
}
