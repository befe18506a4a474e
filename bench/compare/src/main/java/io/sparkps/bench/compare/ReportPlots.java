package io.sparkps.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The comparison's plots, one PNG per dataset, from a {@link Report}'s results. */
final class ReportPlots {
  private ReportPlots() {
  }

  /** One PNG per dataset: held-out log loss against training seconds, every trainer. */
  static List<Path> write(Report report, Path dir) {
    List<Path> files = new ArrayList<>();
    for (String d : report.datasetNames()) {
      XYChart chart = new XYChartBuilder().width(900).height(560)
          .title("Held-out log loss against training time, " + d + " (local[2])")
          .xAxisTitle("training seconds (log scale)").yAxisTitle("held-out log loss").build();
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setMarkerSize(5);
      Map<String, TrainerResult> byTrainer = new LinkedHashMap<>();
      // one curve per trainer: a repeated run (a scaling pair's second or later) is left out
      report.results().stream().filter(r -> r.dataset().equals(d) && Report.trainerOf(r.trainer())
          .equals(r.trainer())).forEach(r -> byTrainer.put(r.trainer(), r));
      for (TrainerResult r : byTrainer.values()) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (TrainerResult.Point p : r.points()) {
          if (p.seconds() > 0 && Double.isFinite(p.logLoss())) {
            x.add(p.seconds());
            y.add(p.logLoss());
          }
        }
        if (!x.isEmpty()) {
          XYSeries s = chart.addSeries(r.trainer() + " (" + r.model() + ")", x, y);
          s.setMarker(SeriesMarkers.CIRCLE);
        }
      }
      if (chart.getSeriesMap().isEmpty()) {
        continue;
      }
      report.find(d, Report.TRUTH).ifPresent(t -> truthLine(chart, t));
      Path file = dir.resolve("loss-vs-time-" + d + ".png");
      AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(),
          BitmapEncoder.BitmapFormat.PNG));
      files.add(file);
    }
    return files;
  }

  /** The truth's log loss as a dashed horizontal line across the chart's time range. */
  private static void truthLine(XYChart chart, TrainerResult truth) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double x : s.getXData()) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    double y = truth.last().logLoss();
    XYSeries line = chart.addSeries("truth: Bayes log loss " + Report.fmt(y, 4), new double[] {lo, hi},
        new double[] {y, y});
    line.setMarker(SeriesMarkers.NONE);
    line.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
  }
}
