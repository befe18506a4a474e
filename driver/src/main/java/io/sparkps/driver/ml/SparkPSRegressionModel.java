package io.sparkps.driver.ml;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/** A regression model trained by {@link SparkPSRegressor}. */
public final class SparkPSRegressionModel extends SparkPSModel<SparkPSRegressionModel> {
  private static final long serialVersionUID = 1L;

  public SparkPSRegressionModel(String uid, ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    super(uid, spec, params, standardizer, training);
  }

  @Override
  public SparkPSRegressionModel copy(ParamMap extra) {
    return copyValues(new SparkPSRegressionModel(uid(), spec(), parameters(), standardizer(),
        training()).setParent(parent()), extra);
  }

  /** Spark's pipeline loader calls this by reflection. */
  public static MLReader<SparkPSRegressionModel> read() {
    return new MLReader<>() {
      @Override
      public SparkPSRegressionModel load(String path) {
        return SparkPSModel.load(path, sparkSession().sparkContext(),
            SparkPSRegressionModel.class, SparkPSRegressionModel::new);
      }
    };
  }

  public static SparkPSRegressionModel load(String path) {
    return read().load(path);
  }
}
