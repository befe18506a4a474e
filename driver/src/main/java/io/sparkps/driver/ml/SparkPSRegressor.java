package io.sparkps.driver.ml;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.model.Task;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Regression with SparkPS in Spark ML pipelines, an MLlib {@code Regressor}: {@code modelType}
 * {@code linear} (default), {@code mlp} or {@code fm}, squared error. MLlib's
 * {@code featuresCol}, {@code labelCol} and {@code predictionCol} come from the base class; the
 * training params are {@link SparkPSParams}.
 */
public final class SparkPSRegressor
    extends Regressor<Vector, SparkPSRegressor, SparkPSRegressionModel>
    implements SparkPSParams<SparkPSRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final List<String> MODEL_TYPES = List.of("linear", "mlp", "fm");

  // Both set on first use, during super(): MLlib's constructor asks for the uid and lists the
  // params before this class's constructor body runs (see Uids). No initializers, on purpose.
  private String uid;
  private TrainingParams tp;

  public SparkPSRegressor() {
    this(Uids.park(null));
  }

  public SparkPSRegressor(String uid) {
    this(Uids.park(uid));
  }

  private SparkPSRegressor(Uids.Parked parked) {
    trainingParams().setDefaults(this, "linear");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpsRegressor");
    }
    return uid;
  }

  @Override
  public TrainingParams trainingParams() {
    if (tp == null) {
      tp = TrainingParams.of(this, MODEL_TYPES);
    }
    return tp;
  }

  @Override
  public SparkPSRegressionModel train(Dataset<?> dataset) {
    return SparkPSRegressionModel.of(uid(), EstimatorFit.fit(this, dataset,
        getFeaturesCol(), getLabelCol(), SparkPSRegressor::spec));
  }

  private static ModelSpec spec(String type, int width, List<Integer> hidden, String activation,
      JavaRDD<? extends Block> blocks, boolean sparse, int factors) {
    return switch (type) {
      case "linear" -> sparse ? new SparseLinearSpec(width, 1, new Loss.SquaredError())
          : ModelSpec.linear(width, new Loss.SquaredError());
      case "fm" -> FmSpec.of(width, factors, new Loss.SquaredError());
      case "mlp" -> ModelSpec.mlp(width, hidden, Activation.parse(activation), Task.REGRESSION, 0,
          new Loss.SquaredError());
      default -> throw new IllegalArgumentException("modelType of a regressor must be linear, mlp "
          + "or fm, got '" + type + "'");
    };
  }

  @Override
  public StructType transformSchema(StructType schema) {
    EstimatorFit.requireColumn(schema, getFeaturesCol(), "featuresCol");
    return super.transformSchema(schema);
  }

  @Override
  public SparkPSRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark's pipeline and tuning loaders call this by reflection. */
  public static MLReader<SparkPSRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkPSRegressor load(String path) {
    return read().load(path);
  }
}
