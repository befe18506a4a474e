package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.tools.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkps report} and {@code train --report} end to end: the page is rendered in headless
 * Chromium, every image must have loaded (a decoded PNG of non-zero width), and the numbers it
 * shows must be those of {@code metrics.json} and of {@code evaluate} on the same held-out rows.
 */
class ReportCommandTest {
  private static final String SAMPLE = ExternalTools.root()
      .resolve("notebooks-data/sample/breast_cancer.csv").toString();

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  @Test
  void reportOfAClassifierShowsItsMetricsAndEveryChartLoads(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    CliTest.Run train = CliTest.run("train", "--epochs", "4", "--patience", "0", "--workers",
        "2", "--out", model.toString(), "--report");
    assertEquals(0, train.code(), train.err());
    JsonNode metrics = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
    assertEquals(4, metrics.path("roundTimes").path("epochBytes").size(), metrics.toString());
    assertTrue(metrics.at("/roundTimes/waitForSlowestMillis").size() >= metrics.get("rounds")
        .asLong() - 1, "every round's wait is kept on a short run: " + metrics);

    Path page = tmp.resolve("out/report.html");
    CliTest.Run report = CliTest.run("report", "--model", model.toString(), "--data", SAMPLE,
        "--label", "diagnosis", "--out", page.toString());
    assertEquals(0, report.code(), report.err());
    CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", SAMPLE,
        "--label", "diagnosis", "--json");
    assertEquals(0, eval.code(), eval.err());
    JsonNode heldOut = new ObjectMapper().readTree(eval.out());

    Rendered r = render(page, tmp);
    // loss, validation metrics, throughput, round times, waits, bytes, ROC, precision-recall
    assertEquals(8, r.images(), r.dom().substring(0, Math.min(2000, r.dom().length())));
    assertEquals(r.images(), r.loaded(), "every image decodes in Chromium");
    Map<String, String> shown = r.metrics();
    metrics.get("train").fields().forEachRemaining(e ->
        assertEquals(fmt(e.getValue()), shown.get("train." + e.getKey()), e.getKey()));
    metrics.get("validation").fields().forEachRemaining(e ->
        assertEquals(fmt(e.getValue()), shown.get("validation." + e.getKey()), e.getKey()));
    heldOut.fields().forEachRemaining(e ->
        assertEquals(fmt(e.getValue()), shown.get("heldout." + e.getKey()), e.getKey()));
    List<List<String>> epochs = r.table("epochs");
    assertEquals(4, epochs.size());
    for (int i = 0; i < 4; i++) {
      JsonNode h = metrics.get("history").get(i);
      assertEquals(List.of(h.get("epoch").asText(), fmt(h.get("trainLoss")),
          fmt(h.get("validationLoss")), h.get("rows").asText()), epochs.get(i).subList(0, 4));
    }
    long[] cells = r.confusion();
    assertEquals(569, java.util.Arrays.stream(cells).sum(), "the matrix counts every row");
    assertEquals(heldOut.get("accuracy").asDouble(), (cells[0] + cells[3]) / 569.0, 1e-9,
        "the matrix's diagonal is the accuracy evaluate reports");

    // train --report wrote the same page beside the model, validation rows held out
    Rendered beside = render(model.resolve("report.html"), tmp);
    assertEquals(8, beside.images());
    assertEquals(beside.images(), beside.loaded());
    assertEquals(fmt(metrics.at("/validation/auc")), beside.metrics().get("heldout.auc"));
  }

  @Test
  void reportRefusesADirectoryWithoutMetricsAndDataWithOtherColumns(@TempDir Path tmp)
      throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-model"));
    CliTest.Run none = CliTest.run("report", "--model", empty.toString(), "--out",
        tmp.resolve("r.html").toString());
    assertEquals(2, none.code());
    assertTrue(none.err().contains(empty + " has no metrics.json"), none.err());

    Path model = tmp.resolve("m");
    assertEquals(0, CliTest.run("train", "--epochs", "1", "--out", model.toString()).code());
    Path narrow = Files.writeString(tmp.resolve("narrow.csv"),
        "mean_radius,mean_texture,diagnosis\n14.1,19.3,benign\n20.6,29.3,malignant\n");
    CliTest.Run other = CliTest.run("report", "--model", model.toString(), "--data",
        narrow.toString(), "--label", "diagnosis", "--out", tmp.resolve("r.html").toString());
    assertEquals(2, other.code(), other.err());
    assertTrue(other.err().contains("narrow.csv") && other.err().contains("2 features")
        && other.err().contains("30"), other.err());
    assertTrue(Files.notExists(tmp.resolve("r.html")), "nothing is written on bad input");
  }

  private static String fmt(JsonNode v) {
    double d = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
    return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.6f", d);
  }

  /** The page as Chromium rendered it, with the counts of its images and of those that loaded. */
  record Rendered(String dom, int images, int loaded) {
    Map<String, String> metrics() {
      Map<String, String> m = new HashMap<>();
      Matcher x = Pattern.compile("data-metric=\"([^\"]+)\">([^<]*)<").matcher(dom);
      while (x.find()) {
        m.put(x.group(1), x.group(2));
      }
      return m;
    }

    List<List<String>> table(String cls) {
      int at = dom.indexOf("<table class=\"" + cls + "\">");
      String t = dom.substring(at, dom.indexOf("</table>", at));
      List<List<String>> rows = new ArrayList<>();
      for (String tr : t.split("<tr>")) {
        Matcher c = Pattern.compile("<td>([^<]*)</td>").matcher(tr);
        List<String> cells = new ArrayList<>();
        while (c.find()) {
          cells.add(c.group(1));
        }
        if (!cells.isEmpty()) {
          rows.add(cells);
        }
      }
      return rows;
    }

    long[] confusion() {
      Matcher c = Pattern.compile("data-cell=\"(\\d),(\\d)\"[^>]*>(\\d+)<").matcher(dom);
      long[] cells = new long[4];
      while (c.find()) {
        cells[Integer.parseInt(c.group(1)) * 2 + Integer.parseInt(c.group(2))] =
            Long.parseLong(c.group(3));
      }
      return cells;
    }
  }

  /**
   * Renders {@code page} in headless Chromium and returns the DOM after the load event; a
   * script added to a copy of the page counts the images and those with a decoded width.
   */
  static Rendered render(Path page, Path tmp) throws Exception {
    String html = Files.readString(page);
    String probe = "<script>window.addEventListener('load',function(){var i=document.images,"
        + "n=0;for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)n++;}"
        + "document.body.setAttribute('data-images',i.length);"
        + "document.body.setAttribute('data-loaded',n);});</script>";
    Path copy = Files.createTempFile(tmp, "probe-", ".html");
    Files.writeString(copy, html.replace("</body>", probe + "</body>"));
    ExternalTools.Result r = ExternalTools.run(List.of(ExternalTools.chromium().toString(),
        "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
        "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-"), "--dump-dom",
        copy.toUri().toString()), tmp, 120);
    assertEquals(0, r.code(), r.output());
    Matcher body = Pattern.compile("<body[^>]*data-images=\"(\\d+)\"[^>]*data-loaded=\"(\\d+)\"")
        .matcher(r.output());
    assertTrue(body.find(), "the probe ran after load: " + r.output().substring(0,
        Math.min(3000, r.output().length())));
    return new Rendered(r.output(), Integer.parseInt(body.group(1)),
        Integer.parseInt(body.group(2)));
  }
}
