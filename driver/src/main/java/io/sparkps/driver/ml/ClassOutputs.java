package io.sparkps.driver.ml;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a classification model appends to a row, in the order of the output schema
 * MLlib's {@code transformSchema} gives: the prediction, the raw prediction (log-probabilities)
 * and the probability vector, each only when its column param is not empty.
 *
 * @param kinds what each appended column holds: {@link #PREDICTION}, {@link #RAW} or
 *     {@link #PROBABILITY}
 * @param thresholds MLlib's per-class thresholds, or null for the plain largest probability
 */
record ClassOutputs(int[] kinds, double[] thresholds) implements Serializable {
  static final int PREDICTION = 0;
  static final int RAW = 1;
  static final int PROBABILITY = 2;

  static ClassOutputs of(StructType in, StructType out, String prediction, String raw,
      String probability, double[] thresholds) {
    int[] kinds = new int[out.size() - in.size()];
    for (int i = 0; i < kinds.length; i++) {
      String name = out.fields()[in.size() + i].name();
      kinds[i] = name.equals(prediction) ? PREDICTION : name.equals(raw) ? RAW
          : name.equals(probability) ? PROBABILITY : -1;
      if (kinds[i] < 0) {
        throw new IllegalStateException("unexpected output column " + name);
      }
    }
    return new ClassOutputs(kinds, thresholds);
  }

  Row append(Row row, float[] y, int off, int k) {
    double[] p = SparkPSClassificationModel.probabilities(y, off, k);
    Object[] v = new Object[row.length() + kinds.length];
    for (int i = 0; i < row.length(); i++) {
      v[i] = row.get(i);
    }
    for (int i = 0; i < kinds.length; i++) {
      v[row.length() + i] = switch (kinds[i]) {
        case PREDICTION -> predict(p, thresholds);
        case RAW -> Vectors.dense(SparkPSClassificationModel.logs(p));
        default -> Vectors.dense(p);
      };
    }
    return RowFactory.create(v);
  }

  /**
   * MLlib's rule ({@code ProbabilisticClassificationModel.probability2prediction}): the class
   * of the largest probability, or of the largest {@code p / threshold}, where a threshold of 0
   * makes its class win whenever its probability is not 0.
   */
  static double predict(double[] p, double[] thresholds) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < p.length; j++) {
      double s = thresholds == null ? p[j]
          : thresholds[j] == 0 ? Double.POSITIVE_INFINITY : p[j] / thresholds[j];
      if (s > bestScore) {
        best = j;
        bestScore = s;
      }
    }
    return best;
  }
}
