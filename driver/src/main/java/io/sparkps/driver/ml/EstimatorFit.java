package io.sparkps.driver.ml;

import io.sparkps.core.data.Block;
import io.sparkps.core.data.ExampleBlock;
import io.sparkps.core.data.Standardizer;
import io.sparkps.core.model.ModelKind;
import io.sparkps.core.model.ModelSpec;
import io.sparkps.core.model.Regularizer;
import io.sparkps.core.optim.Ftrl;
import io.sparkps.core.optim.LearningRateSchedule;
import io.sparkps.core.optim.Optimizers;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.core.train.TrainingDefaults;
import io.sparkps.driver.data.SparkDataLoader;
import io.sparkps.driver.train.DistributedTrainer;
import io.sparkps.driver.train.RuntimeSettings;
import io.sparkps.worker.BarrierEpoch;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code fit} does for both estimators: reads a DataFrame's feature vector and label
 * columns into blocks, standardizes dense features, and trains with the parameter server as
 * the command line does. The defaults are the command line's ({@link TrainingDefaults}): batch
 * size and step size by model family (0 means that default), a rate halved at every
 * convergence check, local steps chosen by measurement ({@code localSteps} 0), stopping by
 * convergence of the training loss.
 */
final class EstimatorFit {
  /** The widest sparse vectors a dense model densifies (a perceptron on 2^16 inputs). */
  static final int MAX_DENSE_WIDTH = 1 << 16;

  private EstimatorFit() {
  }

  /** The model for {@code width} features and the label column's classes (task-specific). */
  @FunctionalInterface
  interface SpecFactory {
    ModelSpec spec(String type, int width, List<Integer> hidden, String activation,
        JavaRDD<? extends Block> blocks, boolean sparse, int factors);
  }

  /** Trains on {@code dataset}'s columns {@code features} and {@code label}. */
  static TrainedModel fit(SparkPSParams<?> p, Dataset<?> dataset, String features,
      String label, SpecFactory specs) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    int n = p.getWorkers() > 0 ? p.getWorkers() : sc.defaultParallelism();
    int width = FrameBlocks.width(dataset, features);
    // sparse vectors (HashingTF, FeatureHasher, OneHotEncoder) stay sparse, never densified
    boolean sparseVectors = FrameBlocks.sparse(dataset, features); // one Spark job
    String type = p.getModelType();
    boolean sparse = "fm".equals(type) || !"mlp".equals(type) && sparseVectors;
    boolean keyed = "keyed".equals(p.getPsLayout());
    requireLayout(p, keyed, sparse, features);
    Standardizer std;
    JavaRDD<Block> blocks;
    if (sparse) {
      std = Standardizer.identity(0);
      blocks = BarrierEpoch.widen(SparkDataLoader.preShuffled(FrameBlocks.sparseOf(dataset,
          features, label, n, width), p.getSeed()));
    } else {
      if (width > MAX_DENSE_WIDTH && sparseVectors) {
        throw new IllegalArgumentException("modelType " + type + " reads dense rows, but "
            + features + " holds sparse vectors of " + width + " slots (a dense copy costs "
            + 4L * width + " bytes per row); use modelType logistic, softmax, linear or fm, "
            + "which read them sparse, or fewer features");
      }
      JavaRDD<ExampleBlock> raw = FrameBlocks.of(dataset, features, label, n, width);
      std = p.getStandardization() ? BlockMoments.standardizer(raw, width)
          : Standardizer.identity(width);
      Standardizer s = std;
      blocks = BarrierEpoch.widen(SparkDataLoader.preShuffled(raw.map(b -> {
        s.applyInPlace(b);
        return b;
      }), p.getSeed()));
    }
    blocks.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      List<Integer> hidden = Arrays.stream(p.getHiddenLayers()).boxed().toList();
      ModelSpec spec = specs.spec(type, width, hidden, p.getActivation(), blocks, sparse,
          p.getFactors());
      TrainingConfig cfg = config(p, TrainingDefaults.familyOf(spec), n, blocks);
      if (keyed) {
        return KeyedModels.fit(p, sc, n, blocks, spec, cfg);
      }
      float[] start = io.sparkps.driver.train.StartingPoint.of(spec.build(), spec.task(),
          cfg.seed(), blocks);
      DistributedTrainer.Result r = new DistributedTrainer(sc, RuntimeSettings.embedded(n))
          .fit(blocks, sc.emptyRDD(), spec, cfg, start, s -> { });
      return new TrainedModel(spec, r.params(), std, cfg);
    } finally {
      blocks.unpersist(false);
    }
  }

  /**
   * Refuses the keyed layout for a model that reads dense rows, and FTRL outside the keyed
   * layout, each naming the fix.
   */
  private static void requireLayout(SparkPSParams<?> p, boolean keyed, boolean sparse,
      String features) {
    if (keyed && !sparse) {
      throw new IllegalArgumentException("psLayout keyed trains sparse models (logistic, "
          + "softmax, linear or fm on sparse vectors), but modelType " + p.getModelType()
          + " reads " + features + " as dense rows; use psLayout dense, or sparse vectors "
          + "(FeatureHasher, HashingTF, OneHotEncoder)");
    }
    if (!keyed && "ftrl".equals(p.getOptimizer().strip().toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("optimizer ftrl steps each key's FTRL state on the "
          + "parameter servers and needs psLayout keyed; set psLayout to keyed (with "
          + "keyedModelDir), or use optimizer adagrad or adam");
    }
  }

  /** The training configuration: the parameters, with 0 taking the family's default. */
  private static TrainingConfig config(SparkPSParams<?> p, ModelKind kind, int workers,
      JavaRDD<Block> blocks) {
    TrainingDefaults d = TrainingDefaults.of(kind);
    long rows = blocks.map(Block::rows).fold(0, Integer::sum);
    int b = p.getBatchSize() > 0 ? p.getBatchSize()
        : d.batchSizeFor(rows / Math.max(1, workers));
    double rate = p.getStepSize() > 0 ? p.getStepSize() : d.learningRate();
    long perEpoch = Math.max(1, (rows + (long) workers * b - 1) / ((long) workers * b));
    TrainingConfig c = new TrainingConfig(p.getMaxIter(), b, Optimizers.parse(p.getOptimizer(),
        new LearningRateSchedule.Constant(rate)), Regularizer.l2(p.getRegParam()), 0,
        p.getSeed(), 0, p.getPatience(), p.getLocalSteps(), p.getOverlap(), p.getTol(),
        TrainingDefaults.CHECK_ROWS);
    long perDecay = Math.max(TrainingDefaults.MIN_STEPS_PER_DECAY,
        perEpoch / c.checksPerEpoch(rows));
    LearningRateSchedule s = new LearningRateSchedule.StepDecay(rate, perDecay,
        TrainingDefaults.DECAY_PER_CHECK);
    boolean ftrl = "ftrl".equals(p.getOptimizer().strip().toLowerCase(java.util.Locale.ROOT));
    // FTRL applies regParam as its own per-key L2 on the servers, not on the workers
    return new TrainingConfig(c.epochs(), b, ftrl ? new Ftrl(s, Ftrl.DEFAULT_BETA, 0,
        p.getRegParam()) : Optimizers.parse(p.getOptimizer(), s), ftrl ? Regularizer.l2(0)
        : c.regularizer(), 0, c.seed(), 0, c.patience(), c.localSteps(), c.overlap(), c.tol(),
        c.checkRows());
  }

  /** Fails with a plain sentence when {@code schema} lacks the {@code param} column. */
  static void requireColumn(StructType schema, String column, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("the DataFrame has no column '" + column + "'; set "
          + param + " to one of its columns: " + String.join(", ", schema.fieldNames()));
    }
  }
}
