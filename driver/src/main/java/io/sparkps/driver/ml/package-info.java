/**
 * SparkPS in Spark ML: {@link io.sparkps.driver.ml.SparkPSClassifier} and
 * {@link io.sparkps.driver.ml.SparkPSRegressor} estimators, their models, and ML persistence.
 */
package io.sparkps.driver.ml;
