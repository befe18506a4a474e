package io.sparkps.driver.ml;

import io.sparkps.core.data.Block;
import io.sparkps.core.model.FmSpec;
import io.sparkps.core.model.SparseLinearSpec;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Activation;
import io.sparkps.core.model.Loss;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Task;
import io.sparkps.core.train.TrainingConfig;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.util.Identifiable$;

/**
 * Regression with SparkPS in Spark ML pipelines: {@code modelType} {@code linear} (default) or
 * {@code mlp}, squared error.
 */
public final class SparkPSRegressor extends SparkPSEstimator<SparkPSRegressionModel> {
  private static final long serialVersionUID = 1L;

  public SparkPSRegressor() {
    this(Identifiable$.MODULE$.randomUID("sparkpsRegressor"));
  }

  public SparkPSRegressor(String uid) {
    super(uid, "linear");
  }

  @Override
  protected ModelSpec spec(String type, int width, List<Integer> hidden, String activation,
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
  protected SparkPSRegressionModel newModel(ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    return new SparkPSRegressionModel(uid(), spec, params, standardizer, training);
  }
}
