/**
 * Evaluation metrics, in two forms that agree with each other.
 *
 * <p>{@link io.sparkps.core.metrics.Metrics} holds exact, pure functions over arrays of labels and
 * predictions: accuracy, log loss, rank-based AUC, the confusion matrix, RMSE, MAE and R&sup2;.
 * They are the reference the tests check against and what a single process uses.
 *
 * <p>{@link io.sparkps.core.metrics.ClassificationStats} and
 * {@link io.sparkps.core.metrics.RegressionStats} are mergeable accumulators in the style of
 * Spark's aggregators: {@code add} folds in one example, {@code merge} folds in another
 * accumulator, and both return {@code this}. They are {@link java.io.Serializable} and know
 * nothing of Spark, so the driver evaluates a distributed dataset with a few lines:
 * <pre>{@code
 * ClassificationStats total = rdd.treeAggregate(ClassificationStats.binary(),
 *     (stats, row) -> stats.add(row.label(), row.probability()),
 *     ClassificationStats::merge, 2);
 * Map<String, Double> metrics = total.result().toMap();
 * }</pre>
 * The map keys are fixed: {@code accuracy}, {@code logLoss} and (binary only) {@code auc} for
 * classification; {@code rmse}, {@code mae} and {@code r2} for regression. They are the keys of
 * the {@code metrics} block of a model file.
 *
 * <p>Labels are floats, as in {@link io.sparkps.core.data.ExampleBlock}: 0 or 1 for binary
 * classification, the class index for multiclass, the target for regression. Classification
 * predictions are probabilities (after the loss's link), never raw scores.
 */
package io.sparkps.core.metrics;
