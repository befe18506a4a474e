package io.sparkps.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics of an evaluated dataset.
 *
 * @param count number of examples
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination; NaN when all labels are equal
 */
public record RegressionMetrics(long count, double rmse, double mae, double r2) {

  public static final String RMSE = "rmse";
  public static final String MAE = "mae";
  public static final String R2 = "r2";

  /** {@code rmse}, {@code mae} and {@code r2}, in that order. */
  public Map<String, Double> toMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put(RMSE, rmse);
    map.put(MAE, mae);
    map.put(R2, r2);
    return Collections.unmodifiableMap(map);
  }
}
