package io.sparkps.driver.ml;

import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.train.TrainingConfig;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier trained by {@link SparkPSClassifier}, on MLlib's probabilistic-classifier
 * contract: {@code transform} appends {@code rawPredictionCol}, {@code probabilityCol} and
 * {@code predictionCol} (each left out when set to ""), so MLlib's evaluators read it as they
 * read {@code LogisticRegressionModel}'s. The raw prediction is the log-probability of each
 * class (softmax of it gives the probability back, as for MLlib's {@code NaiveBayes}); the
 * prediction is the class of the largest probability, or of the largest
 * {@code probability / threshold} when {@code thresholds} is set. {@code transform} scores a
 * chunk of rows at a time (MLlib's default scores row by row).
 */
public final class SparkPSClassificationModel
    extends ProbabilisticClassificationModel<Vector, SparkPSClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid; // set on first uid() call, during super(): see Uids
  private final TrainedModel trained;

  public SparkPSClassificationModel(String uid, ModelSpec spec, float[] params,
      Standardizer standardizer, TrainingConfig training) {
    this(Uids.park(uid), new TrainedModel(spec, params, standardizer, training));
  }

  private SparkPSClassificationModel(Uids.Parked parked, TrainedModel trained) {
    uid();
    this.trained = trained;
  }

  static SparkPSClassificationModel of(String uid, TrainedModel trained) {
    return new SparkPSClassificationModel(Uids.park(uid), trained);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take("sparkpsClassifier");
    }
    return uid;
  }

  /** The SparkPS model (layout, task, classes). */
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
  public int numClasses() {
    return Math.max(2, trained.spec().outputs());
  }

  @Override
  public int numFeatures() {
    return trained.spec().inputs();
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(logs(probabilities(trained.scoreOne(features), 0,
        trained.spec().outputs())));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    double max = java.util.Arrays.stream(v).max().orElse(0);
    double sum = 0;
    for (int j = 0; j < v.length; j++) {
      v[j] = Math.exp(v[j] - max);
      sum += v[j];
    }
    for (int j = 0; j < v.length; j++) {
      v[j] /= sum;
    }
    return rawPrediction;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = transformSchema(in);
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    if (thresholds != null && thresholds.length != numClasses()) {
      throw new IllegalArgumentException("thresholds has " + thresholds.length
          + " values but the model has " + numClasses() + " classes; give one per class");
    }
    ClassOutputs outputs = ClassOutputs.of(in, out, getPredictionCol(), getRawPredictionCol(),
        getProbabilityCol(), thresholds);
    return trained.transform(dataset, getFeaturesCol(), out, outputs::append);
  }

  /** The class probabilities from a model's {@code k} outputs at {@code y[off]}. */
  static double[] probabilities(float[] y, int off, int k) {
    if (k == 1) {
      return new double[] {1 - y[off], y[off]};
    }
    double[] p = new double[k];
    for (int j = 0; j < k; j++) {
      p[j] = y[off + j];
    }
    return p;
  }

  /** The log of each probability, 0 taken as the smallest positive double. */
  static double[] logs(double[] p) {
    double[] raw = new double[p.length];
    for (int j = 0; j < p.length; j++) {
      raw[j] = Math.log(Math.max(p[j], Double.MIN_VALUE));
    }
    return raw;
  }

  /**
   * MLlib's two declarations of this method (in {@code ClassificationModel} and, narrower, in
   * {@code ProbabilisticClassificationModel}) clash for javac; a raw override picks the narrower.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public SparkPSClassificationModel copy(ParamMap extra) {
    return copyValues(of(uid(), trained), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return ModelPersistence.writer(this, trained);
  }

  /** Spark's pipeline loader calls this by reflection. */
  public static MLReader<SparkPSClassificationModel> read() {
    return ModelPersistence.reader(SparkPSClassificationModel.class,
        SparkPSClassificationModel::of);
  }

  public static SparkPSClassificationModel load(String path) {
    return read().load(path);
  }
}
