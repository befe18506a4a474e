package io.sparkps.driver.ml;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.worker.BarrierEpoch;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.Model;
import io.sparkps.core.model.ModelKind;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Optimizers;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.core.train.TrainingDefaults;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RuntimeSettings;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML face of SparkPS: an {@link Estimator} whose {@code fit} trains on a DataFrame's
 * feature vector and label columns with the parameter server, as the command line does. The
 * parameters carry MLlib's names where MLlib has one ({@code featuresCol}, {@code labelCol},
 * {@code maxIter} for the most epochs, {@code tol}, {@code regParam} for L2, {@code stepSize},
 * {@code seed}). The defaults are the command line's ({@link TrainingDefaults}): batch size and
 * step size by model family (0 means that default), a rate halved at every convergence check, local steps
 * chosen by measurement ({@code localSteps} 0), stopping by convergence of the training loss,
 * and the {@code auto} backend: the Vector API where the executors run with
 * {@code --add-modules jdk.incubator.vector} (set it in {@code spark.executor.extraJavaOptions}),
 * the scalar kernels otherwise.
 *
 * @param <M> the model a fit returns
 */
public abstract class SparkPSEstimator<M extends SparkPSModel<M>> extends Estimator<M> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> modelType;
  private final IntParam factors;
  private final IntArrayParam hiddenLayers;
  private final Param<String> activation;
  private final IntParam maxIter;
  private final IntParam batchSize;
  private final Param<String> optimizer;
  private final DoubleParam stepSize;
  private final DoubleParam regParam;
  private final IntParam localSteps;
  private final DoubleParam tol;
  private final IntParam patience;
  private final BooleanParam overlap;
  private final IntParam workers;
  private final LongParam seed;
  private final BooleanParam standardization;

  protected SparkPSEstimator(String uid, String defaultModelType) {
    this.uid = uid;
    featuresCol = new Param<>(uid, "featuresCol", "features column (Spark ML vectors)");
    labelCol = new Param<>(uid, "labelCol", "label column");
    modelType = new Param<>(uid, "modelType", "linear, logistic, softmax, mlp or fm");
    factors = new IntParam(uid, "factors", "latent factors per feature of an fm");
    hiddenLayers = new IntArrayParam(this, "hiddenLayers", "hidden layer widths of an mlp");
    activation = new Param<>(uid, "activation", "hidden activation: relu, leaky-relu, tanh, sigmoid");
    maxIter = new IntParam(uid, "maxIter", "the most epochs (passes over the data)");
    batchSize = new IntParam(uid, "batchSize", "examples per update and worker; 0: the model "
        + "family's default");
    optimizer = new Param<>(uid, "optimizer", "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw");
    stepSize = new DoubleParam(uid, "stepSize", "learning rate at first (halved at every "
        + "check); 0: the model family's default");
    regParam = new DoubleParam(uid, "regParam", "L2 penalty on the weights");
    localSteps = new IntParam(uid, "localSteps", "optimizer steps per worker between "
        + "averagings; 0: chosen by measurement (as --local-steps auto)");
    tol = new DoubleParam(uid, "tol", "relative improvement of the training loss per check "
        + "that counts as progress");
    patience = new IntParam(uid, "patience", "checks without progress before stopping; 0 runs "
        + "all maxIter epochs");
    overlap = new BooleanParam(uid, "overlap", "with localSteps > 1: compute the next round "
        + "while the average of the last one comes back (deltas one round stale)");
    workers = new IntParam(uid, "workers", "training partitions; 0 takes Spark's parallelism");
    seed = new LongParam(uid, "seed", "seed of initialization and shuffles");
    standardization = new BooleanParam(uid, "standardization", "standardize features first");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(modelType, defaultModelType);
    setDefault(hiddenLayers, new int[] {64, 64});
    setDefault(factors, 8);
    setDefault(activation, "relu");
    setDefault(maxIter, TrainingDefaults.MAX_EPOCHS);
    setDefault(batchSize, 0);
    setDefault(optimizer, "adam");
    setDefault(stepSize, 0.0);
    setDefault(regParam, 0.0);
    setDefault(localSteps, TrainingConfig.AUTO_LOCAL_STEPS);
    setDefault(tol, TrainingDefaults.TOL);
    setDefault(patience, TrainingDefaults.PATIENCE);
    setDefault(overlap, false);
    setDefault(workers, 0);
    setDefault(seed, 42L);
    setDefault(standardization, true);
  }

  @Override
  public String uid() {
    return uid;
  }

  // Parameter accessors: Spark finds parameters through public no-argument methods.
  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> modelType() { return modelType; }
  public IntParam factors() { return factors; }
  public IntArrayParam hiddenLayers() { return hiddenLayers; }
  public Param<String> activation() { return activation; }
  public IntParam maxIter() { return maxIter; }
  public IntParam batchSize() { return batchSize; }
  public Param<String> optimizer() { return optimizer; }
  public DoubleParam stepSize() { return stepSize; }
  public DoubleParam regParam() { return regParam; }
  public IntParam localSteps() { return localSteps; }
  public DoubleParam tol() { return tol; }
  public IntParam patience() { return patience; }
  public BooleanParam overlap() { return overlap; }
  public IntParam workers() { return workers; }
  public LongParam seed() { return seed; }
  public BooleanParam standardization() { return standardization; }

  @SuppressWarnings("unchecked")
  private <T> T value(Param<?> p) {
    return (T) getOrDefault(p);
  }

  /** Sets a parameter by its object; returns this for chaining. */
  @SuppressWarnings("unchecked")
  public <T> SparkPSEstimator<M> setParam(Param<T> p, T value) {
    set(p, value);
    return this;
  }

  public SparkPSEstimator<M> setMaxIter(int v) { set(maxIter, v); return this; }
  public SparkPSEstimator<M> setModelType(String v) { set(modelType, v); return this; }
  public SparkPSEstimator<M> setFactors(int v) { set(factors, v); return this; }
  public SparkPSEstimator<M> setHiddenLayers(int... v) { set(hiddenLayers, v); return this; }
  public SparkPSEstimator<M> setStepSize(double v) { set(stepSize, v); return this; }
  public SparkPSEstimator<M> setBatchSize(int v) { set(batchSize, v); return this; }
  public SparkPSEstimator<M> setRegParam(double v) { set(regParam, v); return this; }
  public SparkPSEstimator<M> setWorkers(int v) { set(workers, v); return this; }
  public SparkPSEstimator<M> setLocalSteps(int v) { set(localSteps, v); return this; }
  public SparkPSEstimator<M> setTol(double v) { set(tol, v); return this; }
  public SparkPSEstimator<M> setPatience(int v) { set(patience, v); return this; }
  public SparkPSEstimator<M> setOverlap(boolean v) { set(overlap, v); return this; }
  public SparkPSEstimator<M> setSeed(long v) { set(seed, v); return this; }
  public SparkPSEstimator<M> setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public SparkPSEstimator<M> setLabelCol(String v) { set(labelCol, v); return this; }

  /**
   * The model for {@code width} features and the label column's classes (task-specific): sparse
   * weights when {@code sparse} (the features are sparse vectors, or the model is an fm).
   */
  protected abstract ModelSpec spec(String type, int width, List<Integer> hidden,
      String hiddenActivation, JavaRDD<? extends Block> blocks, boolean sparse, int factors);

  /** Wraps trained parameters in this estimator's model type. */
  protected abstract M newModel(ModelSpec spec, float[] params, Standardizer standardizer,
      TrainingConfig training);

  /** The widest sparse vectors a dense model densifies (a perceptron on 2^16 inputs). */
  static final int MAX_DENSE_WIDTH = 1 << 16;

  @Override
  public M fit(Dataset<?> dataset) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    int w = value(workers);
    int n = w > 0 ? w : sc.defaultParallelism();
    int width = FrameBlocks.width(dataset, value(featuresCol));
    // sparse vectors (HashingTF, FeatureHasher, OneHotEncoder) stay sparse, never densified
    boolean sparseVectors = FrameBlocks.sparse(dataset, value(featuresCol)); // one Spark job
    boolean sparse = "fm".equals(value(modelType))
        || !"mlp".equals(value(modelType)) && sparseVectors;
    Standardizer std;
    JavaRDD<Block> blocks;
    if (sparse) {
      std = Standardizer.identity(0);
      blocks = BarrierEpoch.widen(SparkDataLoader.preShuffled(FrameBlocks.sparseOf(dataset,
          value(featuresCol), value(labelCol), n, width), value(seed)));
    } else {
      if (width > MAX_DENSE_WIDTH && sparseVectors) {
        throw new IllegalArgumentException("modelType " + value(modelType) + " reads dense rows, "
            + "but " + value(featuresCol) + " holds sparse vectors of " + width + " slots (a "
            + "dense copy costs " + 4L * width + " bytes per row); use modelType logistic, "
            + "softmax, linear or fm, which read them sparse, or fewer features");
      }
      JavaRDD<ExampleBlock> raw = FrameBlocks.of(dataset, value(featuresCol), value(labelCol), n,
          width);
      std = this.<Boolean>value(standardization) ? BlockMoments.standardizer(raw, width)
          : Standardizer.identity(width);
      Standardizer s = std;
      blocks = BarrierEpoch.widen(SparkDataLoader.preShuffled(raw.map(b -> {
        s.applyInPlace(b);
        return b;
      }), value(seed)));
    }
    blocks.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      List<Integer> hidden = java.util.Arrays.stream(this.<int[]>value(hiddenLayers)).boxed().toList();
      ModelSpec spec = spec(value(modelType), width, hidden, value(activation), blocks, sparse,
          value(factors));
      Model model = spec.build();
      TrainingConfig cfg = config(io.sparkps.core.train.TrainingDefaults.familyOf(spec), n,
          blocks);
      float[] start = io.sparkps.driver.train.StartingPoint.of(model, spec.task(), cfg.seed(),
          blocks);
      DistributedTrainer.Result r = new DistributedTrainer(sc, RuntimeSettings.embedded(n))
          .fit(blocks, sc.emptyRDD(), spec, cfg, start, s -> { });
      return copyValues(newModel(spec, r.params(), std, cfg).setParent(this), extractParamMap());
    } finally {
      blocks.unpersist(false);
    }
  }

  /** The training configuration: the parameters, with 0 taking the family's default. */
  private TrainingConfig config(ModelKind kind, int workers, JavaRDD<Block> blocks) {
    TrainingDefaults d = TrainingDefaults.of(kind);
    long rows = blocks.map(Block::rows).fold(0, Integer::sum);
    int b = this.<Integer>value(batchSize) > 0 ? value(batchSize)
        : d.batchSizeFor(rows / Math.max(1, workers));
    double rate = this.<Double>value(stepSize) > 0 ? value(stepSize) : d.learningRate();
    long perEpoch = Math.max(1, (rows + (long) workers * b - 1) / ((long) workers * b));
    TrainingConfig c = new TrainingConfig(value(maxIter), b, Optimizers.parse(value(optimizer),
        new LearningRateSchedule.Constant(rate)), Regularizer.l2(value(regParam)), 0,
        value(seed), 0, value(patience), value(localSteps), value(overlap), value(tol),
        TrainingDefaults.CHECK_ROWS);
    long perDecay = Math.max(TrainingDefaults.MIN_STEPS_PER_DECAY,
        perEpoch / c.checksPerEpoch(rows));
    return new TrainingConfig(c.epochs(), b, Optimizers.parse(value(optimizer),
        new LearningRateSchedule.StepDecay(rate, perDecay, TrainingDefaults.DECAY_PER_CHECK)),
        c.regularizer(), 0, c.seed(), 0, c.patience(), c.localSteps(), c.overlap(), c.tol(),
        c.checkRows());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(this.<String>value(featuresCol))) {
      throw new IllegalArgumentException("the DataFrame has no column '" + value(featuresCol)
          + "'; set featuresCol to its feature vector column");
    }
    return SparkPSModel.outputSchema(schema, this instanceof SparkPSClassifier);
  }

  @Override
  public Estimator<M> copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
