package io.sparkps.driver.ml;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;

/** A classifier trained by {@link SparkPSClassifier}. */
public final class SparkPSClassificationModel extends SparkPSModel<SparkPSClassificationModel> {
  private static final long serialVersionUID = 1L;

  public SparkPSClassificationModel(String uid, ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    super(uid, spec, params, standardizer, training);
  }

  @Override
  public SparkPSClassificationModel copy(ParamMap extra) {
    return copyValues(new SparkPSClassificationModel(uid(), spec(), parameters(), standardizer(),
        training()).setParent(parent()), extra);
  }

  /** Spark's pipeline loader calls this by reflection. */
  public static MLReader<SparkPSClassificationModel> read() {
    return new MLReader<>() {
      @Override
      public SparkPSClassificationModel load(String path) {
        return SparkPSModel.load(path, sparkSession().sparkContext(),
            SparkPSClassificationModel.class, SparkPSClassificationModel::new);
      }
    };
  }

  public static SparkPSClassificationModel load(String path) {
    return read().load(path);
  }
}
