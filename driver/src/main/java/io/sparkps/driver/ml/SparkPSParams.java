package io.sparkps.driver.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training params that {@link SparkPSClassifier} and {@link SparkPSRegressor} share, named
 * as MLlib names them where MLlib has the setting ({@code maxIter} for the most epochs,
 * {@code regParam} for L2, {@code stepSize}, {@code tol}, {@code seed}), each with MLlib's three
 * methods: the param itself ({@code stepSize()}, for {@code ParamGridBuilder} and
 * {@code ParamMap}), its value ({@code getStepSize()}) and a chaining setter
 * ({@code setStepSize(0.1)}). Every param checks its value when set (a {@code ParamValidators}
 * rule), so a bad grid fails before any training starts. The defaults are the command line's
 * ({@link io.sparkps.core.train.TrainingDefaults}); 0 in {@code batchSize}, {@code stepSize},
 * {@code localSteps} and {@code workers} means "chosen for you".
 *
 * @param <S> the estimator, returned by the setters
 */
public interface SparkPSParams<S extends SparkPSParams<S>> extends Params {

  /**
   * The param objects of this estimator, made on first use for its uid (MLlib's base
   * constructor lists the params, by reflection over the methods below, before the Java
   * subclass's fields exist; see {@link Uids}). Not itself a param.
   */
  TrainingParams trainingParams();

  /** {@code logistic}, {@code softmax}, {@code mlp}, {@code fm} (classifier) or {@code linear},
   *  {@code mlp}, {@code fm} (regressor). */
  default Param<String> modelType() {
    return trainingParams().modelType();
  }

  /** Latent factors per feature of an {@code fm}. */
  default IntParam factors() {
    return trainingParams().factors();
  }

  /** Hidden layer widths of an {@code mlp}. */
  default IntArrayParam hiddenLayers() {
    return trainingParams().hiddenLayers();
  }

  /** Hidden activation of an {@code mlp}: relu, leaky-relu, tanh, sigmoid. */
  default Param<String> activation() {
    return trainingParams().activation();
  }

  /** The most epochs (passes over the data). */
  default IntParam maxIter() {
    return trainingParams().maxIter();
  }

  /** Examples per update and worker; 0: the model family's default. */
  default IntParam batchSize() {
    return trainingParams().batchSize();
  }

  /** sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, ftrl (psLayout keyed only). */
  default Param<String> optimizer() {
    return trainingParams().optimizer();
  }

  /** Learning rate at first (halved at every check); 0: the model family's default. */
  default DoubleParam stepSize() {
    return trainingParams().stepSize();
  }

  /** L2 penalty on the weights. */
  default DoubleParam regParam() {
    return trainingParams().regParam();
  }

  /** Optimizer steps per worker between averagings; 0: chosen by measurement. */
  default IntParam localSteps() {
    return trainingParams().localSteps();
  }

  /** Relative improvement of the training loss per check that counts as progress. */
  default DoubleParam tol() {
    return trainingParams().tol();
  }

  /** Checks without progress before stopping; 0 runs all {@code maxIter} epochs. */
  default IntParam patience() {
    return trainingParams().patience();
  }

  /** With localSteps above 1: overlap the next round with the last one's averaging. */
  default BooleanParam overlap() {
    return trainingParams().overlap();
  }

  /** Training partitions; 0 takes Spark's default parallelism. */
  default IntParam workers() {
    return trainingParams().workers();
  }

  /** Seed of initialization and shuffles. */
  default LongParam seed() {
    return trainingParams().seed();
  }

  /** Whether to standardize dense features before training (sparse ones never are). */
  default BooleanParam standardization() {
    return trainingParams().standardization();
  }

  /**
   * dense (the default: one parameter vector) or keyed (logistic, softmax, linear and fm on
   * sparse vectors: a row per key on the servers, written to a fit directory under {@link
   * #keyedModelDir}, which the fitted model's {@code transform} reads per chunk of rows).
   */
  default Param<String> psLayout() {
    return trainingParams().psLayout();
  }

  /**
   * With psLayout keyed: the directory under which each fit writes its model into a directory of
   * its own, {@code fit-00001}, {@code fit-00002}, ... (no default; a path all executors can
   * read).
   */
  default Param<String> keyedModelDir() {
    return trainingParams().keyedModelDir();
  }

  /** This, as the estimator type (the setters chain on it). */
  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  default String getModelType() { return (String) getOrDefault(modelType()); }
  default int getFactors() { return (Integer) getOrDefault(factors()); }
  default int[] getHiddenLayers() { return (int[]) getOrDefault(hiddenLayers()); }
  default String getActivation() { return (String) getOrDefault(activation()); }
  default int getMaxIter() { return (Integer) getOrDefault(maxIter()); }
  default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }
  default String getOptimizer() { return (String) getOrDefault(optimizer()); }
  default double getStepSize() { return (Double) getOrDefault(stepSize()); }
  default double getRegParam() { return (Double) getOrDefault(regParam()); }
  default int getLocalSteps() { return (Integer) getOrDefault(localSteps()); }
  default double getTol() { return (Double) getOrDefault(tol()); }
  default int getPatience() { return (Integer) getOrDefault(patience()); }
  default boolean getOverlap() { return (Boolean) getOrDefault(overlap()); }
  default int getWorkers() { return (Integer) getOrDefault(workers()); }
  default long getSeed() { return (Long) getOrDefault(seed()); }
  default boolean getStandardization() { return (Boolean) getOrDefault(standardization()); }
  default String getPsLayout() { return (String) getOrDefault(psLayout()); }
  default String getKeyedModelDir() { return (String) getOrDefault(keyedModelDir()); }

  default S setModelType(String v) { set(modelType(), v); return self(); }
  default S setFactors(int v) { set(factors(), v); return self(); }
  default S setHiddenLayers(int... v) { set(hiddenLayers(), v); return self(); }
  default S setActivation(String v) { set(activation(), v); return self(); }
  default S setMaxIter(int v) { set(maxIter(), v); return self(); }
  default S setBatchSize(int v) { set(batchSize(), v); return self(); }
  default S setOptimizer(String v) { set(optimizer(), v); return self(); }
  default S setStepSize(double v) { set(stepSize(), v); return self(); }
  default S setRegParam(double v) { set(regParam(), v); return self(); }
  default S setLocalSteps(int v) { set(localSteps(), v); return self(); }
  default S setTol(double v) { set(tol(), v); return self(); }
  default S setPatience(int v) { set(patience(), v); return self(); }
  default S setOverlap(boolean v) { set(overlap(), v); return self(); }
  default S setWorkers(int v) { set(workers(), v); return self(); }
  default S setSeed(long v) { set(seed(), v); return self(); }
  default S setStandardization(boolean v) { set(standardization(), v); return self(); }
  default S setPsLayout(String v) { set(psLayout(), v); return self(); }
  default S setKeyedModelDir(String v) { set(keyedModelDir(), v); return self(); }
}
