package io.sparkps.driver.report;

import io.sparkps.core.io.ModelHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.XYChart;

/**
 * The report page: the run's summary and final metrics, the per-epoch curves, throughput,
 * round-time and wait distributions and bytes exchanged from {@link RunMetrics}, and, when
 * held-out scores are given, the {@link HeldOutSection}. One HTML string with every chart
 * inline.
 */
public final class ReportPage {
  private ReportPage() {
  }

  /** The page for the model {@code header} at {@code location}. */
  public static String render(String location, ModelHeader header, RunMetrics run,
      Optional<HeldOutScores> heldOut, Optional<String> heldOutSource) {
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .raw(Html.escape("SparkPS report: " + location)).raw("</title>\n<style>").raw(CSS)
        .raw("</style></head><body>\n");
    h.heading(1, "SparkPS training report");
    h.paragraph("Model " + location + ": " + header.spec().name() + " " + header.spec().shape()
        + ", " + header.spec().build().parameterCount() + " parameters, " + header.featureNames().size()
        + " features" + (header.labels().isEmpty() ? "" : ", classes "
            + String.join(", ", header.labels())) + "; written " + header.createdAt()
        + " by SparkPS " + header.sparkpsVersion() + ".");
    summary(h, run);
    training(h, run);
    rounds(h, run);
    heldOut.ifPresent(s -> HeldOutSection.render(h, s, heldOutSource.orElse("held-out data"),
        header.labels()));
    if (heldOut.isEmpty()) {
      h.paragraph("Give held-out data (sparkps report --data PATH) for ROC and "
          + "precision-recall curves and the confusion matrix of a classifier, or the residual "
          + "plots of a regression.");
    }
    return h.raw("</body></html>\n").toString();
  }

  private static void summary(Html h, RunMetrics run) {
    h.heading(2, "Summary");
    h.raw("<div class=\"row\">");
    h.metrics("Training rows", "train.", run.train());
    if (!run.validation().isEmpty()) {
      h.metrics("Validation rows", "validation.", run.validation());
    }
    List<List<String>> rows = new ArrayList<>();
    run.summary().forEach((k, v) -> rows.add(List.of(k, v)));
    h.table("run", List.of("run", "value"), rows);
    h.raw("</div>\n");
  }

  private static void training(Html h, RunMetrics run) {
    List<RunMetrics.Epoch> epochs = run.epochs();
    h.heading(2, "Training");
    if (epochs.isEmpty()) {
      h.paragraph("metrics.json lists no epochs.");
      return;
    }
    double[] x = epochs.stream().mapToDouble(RunMetrics.Epoch::epoch).toArray();
    XYChart loss = Charts.lines("Loss per epoch", "epoch", "loss");
    Charts.addLine(loss, "training", x,
        epochs.stream().mapToDouble(RunMetrics.Epoch::trainLoss).toArray());
    Charts.addLine(loss, "validation", x,
        epochs.stream().mapToDouble(RunMetrics.Epoch::validationLoss).toArray());
    h.raw("<div class=\"row\">").image("loss per epoch", Charts.dataUri(loss));
    List<String> keys = epochs.get(epochs.size() - 1).validationMetrics().keySet().stream()
        .filter(k -> !k.equals("logLoss")).toList();
    if (!keys.isEmpty()) {
      XYChart val = Charts.lines("Validation metrics per epoch", "epoch", "value");
      val.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
      val.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
      for (String k : keys) {
        Charts.addLine(val, k, x, epochs.stream().mapToDouble(e ->
            e.validationMetrics().getOrDefault(k, Double.NaN)).toArray());
      }
      h.image("validation metrics per epoch", Charts.dataUri(val));
    }
    List<String> labels = epochs.stream().map(e -> Integer.toString(e.epoch())).toList();
    h.image("rows per second per epoch", Charts.dataUri(Charts.bars("Throughput", "epoch",
        "rows/s", labels, epochs.stream().map(RunMetrics.Epoch::rowsPerSecond)
            .map(v -> Double.isNaN(v) ? 0.0 : v).toList())));
    h.raw("</div>\n");
    List<List<String>> rows = new ArrayList<>();
    for (RunMetrics.Epoch e : epochs) {
      rows.add(List.of(Integer.toString(e.epoch()), Html.number(e.trainLoss()),
          Html.number(e.validationLoss()), Long.toString(e.rows()),
          String.format(Locale.ROOT, "%.3f", e.seconds()),
          String.format(Locale.ROOT, "%.0f", e.rowsPerSecond())));
    }
    h.table("epochs", List.of("epoch", "training loss", "validation loss", "rows", "seconds",
        "rows/s"), rows);
  }

  private static void rounds(Html h, RunMetrics run) {
    h.heading(2, "Rounds and traffic");
    if (run.roundMillis().isEmpty() && run.waitMillis().isEmpty()) {
      h.paragraph("This metrics.json has no round times (written before SparkPS recorded "
          + "them, or by a run without rounds).");
      return;
    }
    h.raw("<div class=\"row\">");
    if (!run.roundMillis().isEmpty()) {
      h.image("round time distribution", Charts.dataUri(Charts.histogram(
          "Round time (pull, compute, push)", "milliseconds", run.roundMillis(), 30)));
    }
    h.image("wait for the slowest worker", Charts.dataUri(Charts.histogram(
        "Server's wait for the slowest worker", "milliseconds", run.waitMillis(), 30)));
    if (!run.epochBytes().isEmpty()) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < run.epochBytes().size(); i++) {
        labels.add(Integer.toString(run.epochs().size() - run.epochBytes().size() + i + 1));
      }
      long most = run.epochBytes().stream().mapToLong(Long::longValue).max().orElse(0);
      double unit = most >= 1e6 ? 1e6 : 1e3;
      h.image("bytes exchanged per epoch", Charts.dataUri(Charts.bars("Bytes exchanged",
          "epoch", unit == 1e6 ? "MB" : "kB", labels,
          run.epochBytes().stream().map(b -> b / unit).toList())));
    }
    h.raw("</div>\n");
    h.table("percentiles", List.of("milliseconds", "rounds", "median", "90th percentile",
        "99th percentile", "max"), List.of(percentiles("round time", run.roundMillis()),
        percentiles("wait for the slowest", run.waitMillis())));
  }

  static List<String> percentiles(String name, List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return List.of(name, "0", "", "", "", "");
    }
    return List.of(name, Integer.toString(v.length), ms(quantile(v, 0.5)),
        ms(quantile(v, 0.9)), ms(quantile(v, 0.99)), ms(v[v.length - 1]));
  }

  /** The nearest-rank quantile of sorted values. */
  static double quantile(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static final String CSS = "body{font-family:system-ui,sans-serif;margin:24px;"
      + "color:#222;max-width:1800px}h1{font-size:24px}h2{font-size:19px;margin-top:28px;"
      + "border-bottom:1px solid #ddd}.row{display:flex;flex-wrap:wrap;gap:12px;"
      + "align-items:flex-start}figure{margin:0}table{border-collapse:collapse;margin:6px 0;"
      + "font-size:13px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}"
      + "th{background:#f4f4f4}caption{font-weight:600;text-align:left;padding:2px 0}"
      + "table.run td{text-align:left;max-width:520px}table.confusion td.hit{font-weight:600}";
}
