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
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Classification with SparkPS in Spark ML pipelines, an MLlib {@code ProbabilisticClassifier}:
 * labels are class indices 0..k-1 as MLlib uses them; {@code modelType} is {@code logistic}
 * (two classes), {@code softmax}, {@code fm} (two classes) or {@code mlp} (default, the task
 * following the number of classes). MLlib's {@code featuresCol}, {@code labelCol},
 * {@code predictionCol}, {@code rawPredictionCol}, {@code probabilityCol} and
 * {@code thresholds} come from the base class; the training params are {@link SparkPSParams}.
 *
 * <pre>{@code
 * SparkPSClassificationModel m = new SparkPSClassifier().setMaxIter(5).fit(train);
 * m.transform(test).select("rawPrediction", "probability", "prediction");
 * }</pre>
 */
public final class SparkPSClassifier
    extends ProbabilisticClassifier<Vector, SparkPSClassifier, SparkPSClassificationModel>
    implements SparkPSParams<SparkPSClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final List<String> MODEL_TYPES = List.of("logistic", "softmax", "mlp", "fm");

  // Both set on first use, during super(): MLlib's constructor asks for the uid and lists the
  // params before this class's constructor body runs (see Uids). No initializers, on purpose.
  private String uid;
  private TrainingParams tp;

  public SparkPSClassifier() {
    this(Uids.park(null));
  }

  public SparkPSClassifier(String uid) {
    this(Uids.park(uid));
  }

  private SparkPSClassifier(Uids.Parked parked) {
    trainingParams().setDefaults(this, "mlp");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpsClassifier");
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
  public SparkPSClassificationModel train(Dataset<?> dataset) {
    return SparkPSClassificationModel.of(uid(), EstimatorFit.fit(this, dataset,
        getFeaturesCol(), getLabelCol(), SparkPSClassifier::spec));
  }

  private static ModelSpec spec(String type, int width, List<Integer> hidden, String activation,
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
    if (classes > 2 && ("logistic".equals(type) || "fm".equals(type))) {
      throw new IllegalArgumentException("modelType " + type + " takes two classes but the "
          + "labels go up to " + (int) maxLabel + "; use softmax or mlp");
    }
    return switch (type) {
      case "logistic" -> sparse ? new SparseLinearSpec(width, 1, new Loss.LogLoss())
          : ModelSpec.logistic(width);
      case "fm" -> FmSpec.of(width, factors, new Loss.LogLoss());
      case "softmax" -> sparse ? new SparseLinearSpec(width, classes, new Loss.CrossEntropy())
          : ModelSpec.softmax(width, classes);
      case "mlp" -> ModelSpec.mlp(width, hidden, Activation.parse(activation),
          classes == 2 ? Task.BINARY : Task.MULTICLASS, classes, new Loss.SquaredError());
      default -> throw new IllegalArgumentException("modelType of a classifier must be logistic, "
          + "softmax, mlp or fm, got '" + type + "'");
    };
  }

  @Override
  public StructType transformSchema(StructType schema) {
    EstimatorFit.requireColumn(schema, getFeaturesCol(), "featuresCol");
    return super.transformSchema(schema);
  }

  @Override
  public SparkPSClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark's pipeline and tuning loaders call this by reflection. */
  public static MLReader<SparkPSClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static SparkPSClassifier load(String path) {
    return read().load(path);
  }
}
