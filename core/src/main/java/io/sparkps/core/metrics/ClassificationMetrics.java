package io.sparkps.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Classification metrics of an evaluated dataset.
 *
 * @param count number of examples
 * @param classes number of classes (2 for binary)
 * @param accuracy share of correctly predicted examples
 * @param logLoss mean log loss, probabilities clipped to {@code [1e-15, 1 - 1e-15]}
 * @param auc area under the ROC curve; present for binary classification only, and NaN there
 *     when the data holds one class only
 * @param confusion {@code classes x classes} counts, row = true class, column = predicted class
 */
public record ClassificationMetrics(long count, int classes, double accuracy, double logLoss,
    OptionalDouble auc, long[][] confusion) {

  public static final String ACCURACY = "accuracy";
  public static final String LOG_LOSS = "logLoss";
  public static final String AUC = "auc";

  /** {@code accuracy}, {@code logLoss} and, for binary classification, {@code auc}; in that order. */
  public Map<String, Double> toMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put(ACCURACY, accuracy);
    map.put(LOG_LOSS, logLoss);
    auc.ifPresent(a -> map.put(AUC, a));
    return Collections.unmodifiableMap(map);
  }
}
