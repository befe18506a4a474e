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
 * Classification with SparkPS in Spark ML pipelines: labels are class indices 0..k-1 as MLlib
 * uses them; {@code modelType} is {@code logistic} (two classes), {@code softmax} or {@code mlp}
 * (default, the task following the number of classes).
 *
 * <pre>{@code
 * SparkPSClassificationModel m = new SparkPSClassifier().setMaxIter(5).fit(train);
 * m.transform(test).select("prediction", "probability");
 * }</pre>
 */
public final class SparkPSClassifier extends SparkPSEstimator<SparkPSClassificationModel> {
  private static final long serialVersionUID = 1L;

  public SparkPSClassifier() {
    this(Identifiable$.MODULE$.randomUID("sparkpsClassifier"));
  }

  public SparkPSClassifier(String uid) {
    super(uid, "mlp");
  }

  @Override
  protected ModelSpec spec(String type, int width, List<Integer> hidden, String activation,
      JavaRDD<? extends Block> blocks, boolean sparse, int factors) {
    double maxLabel = blocks.map(b -> {
      float m = 0;
      for (int i = 0; i < b.rows(); i++) {
        float y = b.labels()[i];
        if (y < 0 || y != Math.rint(y)) {
          throw new IllegalArgumentException("label " + y + " is not a class index; use labels "
              + "0, 1, ..., k-1 (a StringIndexer makes them from names)");
        }
        m = Math.max(m, y);
      }
      return (double) m;
    }).fold(0.0, Math::max);
    int classes = Math.max(2, (int) maxLabel + 1);
    return switch (type) {
      case "logistic" -> {
        if (classes > 2) {
          throw new IllegalArgumentException("modelType logistic takes two classes but the labels "
              + "go up to " + (int) maxLabel + "; use softmax or mlp");
        }
        yield sparse ? new SparseLinearSpec(width, 1, new Loss.LogLoss())
            : ModelSpec.logistic(width);
      }
      case "fm" -> {
        if (classes > 2) {
          throw new IllegalArgumentException("modelType fm takes two classes but the labels go "
              + "up to " + (int) maxLabel + "; use softmax or mlp");
        }
        yield FmSpec.of(width, factors, new Loss.LogLoss());
      }
      case "softmax" -> sparse ? new SparseLinearSpec(width, classes, new Loss.CrossEntropy())
          : ModelSpec.softmax(width, classes);
      case "mlp" -> ModelSpec.mlp(width, hidden, Activation.parse(activation),
          classes == 2 ? Task.BINARY : Task.MULTICLASS, classes, new Loss.SquaredError());
      default -> throw new IllegalArgumentException("modelType of a classifier must be logistic, "
          + "softmax, mlp or fm, got '" + type + "'");
    };
  }

  @Override
  protected SparkPSClassificationModel newModel(ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    return new SparkPSClassificationModel(uid(), spec, params, standardizer, training);
  }
}
