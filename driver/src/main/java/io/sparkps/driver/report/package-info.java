/**
 * {@code sparkps report}: one self-contained HTML page about a trained model, drawn from its
 * {@code metrics.json} ({@link RunMetrics}) and, given held-out data, from the model's
 * predictions on it ({@link HeldOutScores}): per-epoch losses and validation metrics,
 * throughput, the distributions of round times and of the server's wait for the slowest worker,
 * bytes exchanged, ROC and precision-recall curves (Fawcett, "An introduction to ROC analysis",
 * 2006; Davis and Goadrich, "The relationship between precision-recall and ROC curves", 2006)
 * and the confusion matrix for classifiers, residual plots for regression. Charts are XChart
 * PNGs inlined as base64 data URIs ({@link Charts}), so the page needs no other file.
 */
package io.sparkps.driver.report;
