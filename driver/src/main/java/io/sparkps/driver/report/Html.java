package io.sparkps.driver.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small HTML writer for the report: escaped text, tables, headings and inline images. */
final class Html {
  private final StringBuilder sb = new StringBuilder();

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A metric as the report shows it: six decimals, "n/a" for NaN. */
  static String number(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.6f", v);
  }

  Html raw(String s) {
    sb.append(s);
    return this;
  }

  Html heading(int level, String text) {
    sb.append("<h").append(level).append('>').append(escape(text)).append("</h")
        .append(level).append(">\n");
    return this;
  }

  Html paragraph(String text) {
    sb.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** An image with its alternative text; {@code src} is a data URI. */
  Html image(String alt, String src) {
    sb.append("<figure><img alt=\"").append(escape(alt)).append("\" src=\"").append(src)
        .append("\"></figure>\n");
    return this;
  }

  /**
   * A two-column table of metrics; each value cell carries {@code data-metric="prefix.key"} so
   * that scripts and tests can read it.
   */
  Html metrics(String caption, String prefix, Map<String, Double> metrics) {
    sb.append("<table class=\"metrics\"><caption>").append(escape(caption))
        .append("</caption>\n");
    metrics.forEach((k, v) -> sb.append("<tr><th>").append(escape(k))
        .append("</th><td data-metric=\"").append(escape(prefix + k)).append("\">")
        .append(number(v)).append("</td></tr>\n"));
    sb.append("</table>\n");
    return this;
  }

  /** A table with a header row; cells are escaped. */
  Html table(String cls, List<String> header, List<List<String>> rows) {
    sb.append("<table class=\"").append(escape(cls)).append("\"><tr>");
    header.forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
    sb.append("</tr>\n");
    for (List<String> r : rows) {
      sb.append("<tr>");
      r.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
