package io.sparkps.driver.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts, drawn with XChart and encoded as PNG data URIs. Runs headless
 * ({@code java.awt.headless}), so it needs no display.
 */
final class Charts {
  static final int WIDTH = 560;
  static final int HEIGHT = 340;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {
  }

  /** A line chart of one or more series against a shared x. */
  static XYChart lines(String title, String xTitle, String yTitle) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    style(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return c;
  }

  /** Adds a line series, skipping NaN points; returns whether any point was left. */
  static boolean addLine(XYChart c, String name, double[] x, double[] y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(y[i]) && !Double.isInfinite(y[i])) {
        xs.add(x[i]);
        ys.add(y[i]);
      }
    }
    if (xs.isEmpty()) {
      return false;
    }
    c.addSeries(name, xs, ys);
    return true;
  }

  /** A scatter chart of {@code y} against {@code x}. */
  static XYChart scatter(String title, String xTitle, String yTitle, double[] x, double[] y) {
    XYChart c = lines(title, xTitle, yTitle);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    c.getStyler().setMarkerSize(3);
    c.getStyler().setLegendVisible(false);
    c.addSeries("rows", x, y);
    return c;
  }

  /** A bar chart with one bar per label. */
  static CategoryChart bars(String title, String xTitle, String yTitle, List<String> labels,
      List<Double> values) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(c.getStyler());
    c.getStyler().setLegendVisible(false);
    c.addSeries(yTitle, labels, values);
    return c;
  }

  /** A histogram of {@code values} in {@code bins} equal bins. */
  static CategoryChart histogram(String title, String xTitle, List<Double> values, int bins) {
    Histogram h = new Histogram(new ArrayList<>(values), bins); // it rejects immutable lists
    List<String> labels = new ArrayList<>();
    for (double x : h.getxAxisData()) {
      labels.add(x >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", x)
          : String.format(java.util.Locale.ROOT, "%.1f", x));
    }
    CategoryChart c = bars(title, xTitle, "rounds", labels, h.getyAxisData());
    c.getStyler().setXAxisLabelRotation(60);
    c.getStyler().setAvailableSpaceFill(0.95);
    return c;
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setLegendBorderColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setChartPadding(8);
  }

  /** The chart as a {@code data:image/png;base64,...} URI. */
  static String dataUri(Chart<?, ?> chart) {
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the chart '" + chart.getTitle()
          + "' as PNG: " + e.getMessage(), e);
    }
  }
}
