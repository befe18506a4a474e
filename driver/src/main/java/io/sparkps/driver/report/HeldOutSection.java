package io.sparkps.driver.report;

import io.sparkps.core.metrics.Metrics;
import io.sparkps.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * The held-out part of the report: the metrics on all held-out rows; for a classifier the ROC
 * and precision-recall curves (one-vs-rest per class for more than two classes) and the
 * confusion matrix; for a regression the residuals against the prediction, the prediction
 * against the label and the residuals' histogram.
 */
final class HeldOutSection {
  /** Beyond this many classes the per-class curves are left out (the matrix stays). */
  static final int MAX_CURVES = 10;

  private HeldOutSection() {
  }

  static void render(Html h, HeldOutScores s, String source, List<String> classNames) {
    h.heading(2, "Held-out evaluation");
    h.paragraph(String.format(Locale.ROOT, "%s: %,d rows%s.", source, s.rows(),
        s.gathered() < s.rows() ? String.format(Locale.ROOT, "; the charts use %,d of them "
            + "(every %d-th), the metrics all", s.gathered(), (s.rows() + s.gathered() - 1)
            / Math.max(1, s.gathered())) : ""));
    h.raw("<div class=\"row\">").metrics("Held-out rows", "heldout.", s.metrics());
    if (s.task() == Task.REGRESSION) {
      regression(h, s);
    } else {
      classification(h, s, classNames);
    }
    h.raw("</div>\n");
  }

  private static void classification(Html h, HeldOutScores s, List<String> classNames) {
    int classes = s.k() == 1 ? 2 : s.k();
    List<String> names = names(classNames, classes);
    XYChart roc = Charts.lines("ROC curve", "false positive rate", "true positive rate");
    XYChart pr = Charts.lines("Precision-recall curve", "recall", "precision");
    roc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    pr.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
    List<List<String>> areas = new ArrayList<>();
    for (int c = s.k() == 1 ? 1 : 0; c < Math.min(classes, MAX_CURVES); c++) {
      float[] y = s.isClass(c);
      float[] score = s.scores(c);
      Curves.Curve r = Curves.roc(y, score);
      Curves.Curve p = Curves.precisionRecall(y, score);
      String label = s.k() == 1 ? "positive class " + names.get(1) : names.get(c) + " vs rest";
      Charts.addLine(roc, label, r.x(), r.y());
      Charts.addLine(pr, label, p.x(), p.y());
      areas.add(List.of(label, Html.number(r.area()), Html.number(p.area())));
    }
    Charts.addLine(roc, "chance", new double[] {0, 1}, new double[] {0, 1});
    for (XYChart c : List.of(roc, pr)) {
      c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
      c.getStyler().setMarkerSize(0);
    }
    h.image("ROC curve", Charts.dataUri(roc)).image("precision-recall curve",
        Charts.dataUri(pr));
    h.raw("</div><div class=\"row\">");
    h.table("areas", List.of("curve", "ROC AUC", "average precision"), areas);
    confusion(h, s, classes, names);
  }

  private static void confusion(Html h, HeldOutScores s, int classes, List<String> names) {
    int[] predicted = Metrics.predictedClasses(s.outputs(), s.k());
    long[][] m = Metrics.confusionMatrix(s.labels(), predicted, classes);
    h.raw("<table class=\"confusion\"><caption>Confusion matrix (rows: true class, columns: "
        + "predicted)</caption><tr><th></th>");
    names.forEach(n -> h.raw("<th>").raw(Html.escape(n)).raw("</th>"));
    h.raw("</tr>\n");
    for (int i = 0; i < classes; i++) {
      long rowSum = 0;
      for (long v : m[i]) {
        rowSum += v;
      }
      h.raw("<tr><th>").raw(Html.escape(names.get(i))).raw("</th>");
      for (int j = 0; j < classes; j++) {
        double share = rowSum == 0 ? 0 : m[i][j] / (double) rowSum;
        int shade = 255 - (int) Math.round(share * 150);
        h.raw(String.format(Locale.ROOT, "<td%s data-cell=\"%d,%d\" style=\"background:rgb(%d,"
            + "%d,255)\">%d</td>", i == j ? " class=\"hit\"" : "", i, j, shade, shade, m[i][j]));
      }
      h.raw("</tr>\n");
    }
    h.raw("</table>\n");
  }

  private static List<String> names(List<String> classNames, int classes) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add(c < classNames.size() ? classNames.get(c) : Integer.toString(c));
    }
    return names;
  }

  private static void regression(Html h, HeldOutScores s) {
    int n = s.gathered();
    double[] label = new double[n];
    double[] pred = new double[n];
    double[] residual = new double[n];
    List<Double> residuals = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      label[i] = s.labels()[i];
      pred[i] = s.outputs()[i];
      residual[i] = label[i] - pred[i];
      residuals.add(residual[i]);
    }
    h.image("residuals against predictions", Charts.dataUri(Charts.scatter(
        "Residuals (label - prediction)", "prediction", "residual", pred, residual)));
    XYChart fit = Charts.scatter("Prediction against label", "label", "prediction", label,
        pred);
    double lo = Math.min(min(label), min(pred));
    double hi = Math.max(max(label), max(pred));
    fit.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi})
        .setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
    h.image("prediction against label", Charts.dataUri(fit));
    var hist = Charts.histogram("Residuals", "label - prediction", residuals, 30);
    hist.setYAxisTitle("rows");
    h.image("residual histogram", Charts.dataUri(hist));
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(0);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(1);
  }
}
