package io.sparkps.driver.ml;

import io.sparkps.core.optim.Optimizers;
import io.sparkps.core.train.TrainingConfig;
import io.sparkps.core.train.TrainingDefaults;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The {@link SparkPSParams} objects of one estimator, made for its uid with their validators.
 * The estimator makes this lazily on first use: MLlib's base constructor lists the estimator's
 * params (by reflection over its public param methods) before the Java subclass's fields exist.
 */
record TrainingParams(Param<String> modelType, IntParam factors, IntArrayParam hiddenLayers,
    Param<String> activation, IntParam maxIter, IntParam batchSize, Param<String> optimizer,
    DoubleParam stepSize, DoubleParam regParam, IntParam localSteps, DoubleParam tol,
    IntParam patience, BooleanParam overlap, IntParam workers, LongParam seed,
    BooleanParam standardization, Param<String> psLayout, Param<String> keyedModelDir)
    implements Serializable {

  static final List<String> LAYOUTS = List.of("dense", "keyed");

  static final List<String> ACTIVATIONS = List.of("relu", "leaky-relu", "tanh", "sigmoid");

  /** The params of the estimator {@code uid} whose model types are {@code modelTypes}. */
  static TrainingParams of(Params owner, List<String> modelTypes) {
    String uid = owner.uid();
    return new TrainingParams(
        new Param<>(uid, "modelType", "model: " + String.join(", ", modelTypes),
            ParamValidators.inArray(modelTypes)),
        new IntParam(uid, "factors", "latent factors per feature of an fm (at least 1)",
            ParamValidators.gtEq(1)),
        new IntArrayParam(owner, "hiddenLayers", "hidden layer widths of an mlp (each at "
            + "least 1)", new Check<>(TrainingParams::positiveWidths)),
        new Param<>(uid, "activation", "hidden activation of an mlp: "
            + String.join(", ", ACTIVATIONS), new Check<>(a -> ACTIVATIONS.contains(
                a.strip().toLowerCase(Locale.ROOT).replace('_', '-')))),
        new IntParam(uid, "maxIter", "the most epochs (passes over the data, at least 1)",
            ParamValidators.gtEq(1)),
        new IntParam(uid, "batchSize", "examples per update and worker; 0: the model "
            + "family's default", ParamValidators.gtEq(0)),
        new Param<>(uid, "optimizer", "optimizer: " + String.join(", ", Optimizers.NAMES),
            new Check<>(o -> Optimizers.NAMES.contains(o.strip().toLowerCase(Locale.ROOT)))),
        new DoubleParam(uid, "stepSize", "learning rate at first (halved at every check); 0: "
            + "the model family's default", ParamValidators.gtEq(0)),
        new DoubleParam(uid, "regParam", "L2 penalty on the weights (at least 0)",
            ParamValidators.gtEq(0)),
        new IntParam(uid, "localSteps", "optimizer steps per worker between averagings; 0: "
            + "chosen by measurement", ParamValidators.gtEq(0)),
        new DoubleParam(uid, "tol", "relative improvement of the training loss per check that "
            + "counts as progress (at least 0)", ParamValidators.gtEq(0)),
        new IntParam(uid, "patience", "checks without progress before stopping; 0 runs all "
            + "maxIter epochs", ParamValidators.gtEq(0)),
        new BooleanParam(uid, "overlap", "with localSteps > 1: compute the next round while "
            + "the average of the last one comes back (deltas one round stale)"),
        new IntParam(uid, "workers", "training partitions; 0 takes Spark's default "
            + "parallelism", ParamValidators.gtEq(0)),
        new LongParam(uid, "seed", "seed of initialization and shuffles"),
        new BooleanParam(uid, "standardization", "standardize dense features first"),
        new Param<>(uid, "psLayout", "how the parameter servers hold the model: dense (one "
            + "vector) or keyed (sparse models: a row per key; the model stays in "
            + "keyedModelDir)", ParamValidators.inArray(LAYOUTS)),
        new Param<>(uid, "keyedModelDir", "with psLayout keyed: the directory (a Hadoop path "
            + "every executor can read) under which each fit's servers write its model, into "
            + "fit-00001, fit-00002, ... (the fitted model's keyedDirectory), which its "
            + "transform reads", new Check<>(d -> !d.isBlank())));
  }

  /** Sets the command line's defaults on {@code owner}, whose params these are. */
  void setDefaults(Params owner, String defaultModelType) {
    owner.setDefault(modelType, defaultModelType);
    owner.setDefault(factors, 8);
    owner.setDefault(hiddenLayers, new int[] {64, 64});
    owner.setDefault(activation, "relu");
    owner.setDefault(maxIter, TrainingDefaults.MAX_EPOCHS);
    owner.setDefault(batchSize, 0);
    owner.setDefault(optimizer, "adam");
    owner.setDefault(stepSize, 0.0);
    owner.setDefault(regParam, 0.0);
    owner.setDefault(localSteps, TrainingConfig.AUTO_LOCAL_STEPS);
    owner.setDefault(tol, TrainingDefaults.TOL);
    owner.setDefault(patience, TrainingDefaults.PATIENCE);
    owner.setDefault(overlap, false);
    owner.setDefault(workers, 0);
    owner.setDefault(seed, 42L);
    owner.setDefault(standardization, true);
    owner.setDefault(psLayout, "dense");
  }

  private static boolean positiveWidths(int[] widths) {
    return java.util.Arrays.stream(widths).allMatch(w -> w >= 1);
  }

  /** A param validator from a Java predicate (serializable: params travel with the stage). */
  static final class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;

    interface Rule<T> extends Serializable {
      boolean test(T value);
    }

    private final Rule<T> rule;

    Check(Rule<T> rule) {
      this.rule = rule;
    }

    @Override
    public Object apply(T value) {
      return value != null && rule.test(value);
    }
  }
}
