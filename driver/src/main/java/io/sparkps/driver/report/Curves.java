package io.sparkps.driver.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ROC and precision-recall curves of binary labels and scores, one point per distinct score
 * threshold, thinned to at most {@link #MAX_POINTS} points for drawing (Fawcett, "An
 * introduction to ROC analysis", Pattern Recognition Letters 27, 2006, algorithm 1; Davis and
 * Goadrich, ICML 2006, for precision and recall).
 */
public final class Curves {
  /** The most points a drawn curve keeps. */
  public static final int MAX_POINTS = 400;

  private Curves() {
  }

  /**
   * A curve: {@code x[i], y[i]} for each kept threshold, in order of decreasing threshold.
   *
   * @param x false positive rate (ROC) or recall (PR)
   * @param y true positive rate (ROC) or precision (PR)
   * @param area the area under the curve by the trapezoid rule over every threshold (for PR,
   *     the average precision: the sum of precision times the recall step)
   */
  public record Curve(double[] x, double[] y, double area) {
  }

  /** The ROC curve from (0, 0) to (1, 1); NaN area when one class is absent. */
  public static Curve roc(float[] labels, float[] scores) {
    return sweep(labels, scores, true);
  }

  /** The precision-recall curve; NaN area without positives. */
  public static Curve precisionRecall(float[] labels, float[] scores) {
    return sweep(labels, scores, false);
  }

  private static Curve sweep(float[] labels, float[] scores, boolean roc) {
    Integer[] order = new Integer[labels.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    long pos = 0;
    for (float y : labels) {
      pos += y == 1f ? 1 : 0;
    }
    long neg = labels.length - pos;
    List<double[]> pts = new ArrayList<>();
    pts.add(roc ? new double[] {0, 0} : new double[] {0, 1});
    long tp = 0;
    long fp = 0;
    double area = 0;
    for (int i = 0; i < order.length; i++) {
      if (labels[order[i]] == 1f) {
        tp++;
      } else {
        fp++;
      }
      if (i + 1 < order.length && scores[order[i + 1]] == scores[order[i]]) {
        continue; // a tie: one point per distinct threshold
      }
      double[] prev = pts.get(pts.size() - 1);
      double[] p = roc ? new double[] {fp / (double) neg, tp / (double) pos}
          : new double[] {tp / (double) pos, tp / (double) (tp + fp)};
      area += roc ? (p[0] - prev[0]) * (p[1] + prev[1]) / 2 : (p[0] - prev[0]) * p[1];
      pts.add(p);
    }
    boolean defined = pos > 0 && (!roc || neg > 0);
    return thin(pts, defined ? area : Double.NaN);
  }

  private static Curve thin(List<double[]> pts, double area) {
    int stride = Math.max(1, (pts.size() + MAX_POINTS - 1) / MAX_POINTS);
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < pts.size(); i += stride) {
      kept.add(pts.get(i));
    }
    if ((pts.size() - 1) % stride != 0) {
      kept.add(pts.get(pts.size() - 1));
    }
    return new Curve(kept.stream().mapToDouble(p -> p[0]).toArray(),
        kept.stream().mapToDouble(p -> p[1]).toArray(), area);
  }
}
