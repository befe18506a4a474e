/**
 * SparkPS in Spark ML, on MLlib's own base classes so that MLlib's tools take it as they take
 * MLlib's estimators: {@link io.sparkps.driver.ml.SparkPSClassifier} is a
 * {@code ProbabilisticClassifier} (its model appends {@code rawPrediction}, {@code probability}
 * and {@code prediction}, honours {@code thresholds}), {@link io.sparkps.driver.ml.SparkPSRegressor}
 * a {@code Regressor}; both share the training params of
 * {@link io.sparkps.driver.ml.SparkPSParams} (accessor, getter, setter, validator each), and
 * both models save Spark's metadata plus a SparkPS model directory, which {@code Pipeline},
 * {@code CrossValidatorModel} and the command line all load.
 */
package io.sparkps.driver.ml;
