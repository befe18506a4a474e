package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkps.core.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model remembers its input: trained with {@code --label lettr} (the first column, holding
 * letters), it evaluates and predicts on data with the training header without {@code --label};
 * another header fails naming the missing and extra columns; a model file from before the
 * label column was recorded still loads. Also the usage line of {@code sparkps ps}.
 */
class ModelInputCliTest {

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  private static Path letters(Path file, String header) throws Exception {
    Random r = new Random(3);
    List<String> rows = new ArrayList<>(List.of(header));
    for (int i = 0; i < 300; i++) {
      boolean a = r.nextBoolean();
      double m = a ? 1.5 : -1.5;
      rows.add(String.format(java.util.Locale.ROOT, "%s,%.3f,%.3f,%.3f", a ? "A" : "B",
          m + r.nextGaussian(), r.nextGaussian(), -m + r.nextGaussian()));
    }
    return Files.write(file, rows);
  }

  @Test
  void evaluateAndPredictNeedNoLabelAndAWrongHeaderIsNamed(@TempDir Path tmp) throws Exception {
    Path data = letters(tmp.resolve("letters.csv"), "lettr,x1,x2,x3");
    Path model = tmp.resolve("model");
    CliTest.Run train = CliTest.run("train", "--data", data.toString(), "--label", "lettr",
        "--model", "logistic", "--epochs", "3", "--workers", "2", "--out", model.toString());
    assertEquals(0, train.code(), train.err());
    assertEquals(Optional.of("lettr"), ModelFile.read(model).header().labelColumnName());

    CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data",
        data.toString(), "--json");
    assertEquals(0, eval.code(), eval.err());
    double accuracy = new ObjectMapper().readTree(eval.out()).get("accuracy").asDouble();
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);

    Path out = tmp.resolve("predictions");
    CliTest.Run predict = CliTest.run("predict", "--model", model.toString(), "--data",
        data.toString(), "--out", out.toString());
    assertEquals(0, predict.code(), predict.err());
    // the same rows after two lines of preamble: --skip-lines gives the same predictions
    Path preamble = tmp.resolve("preamble.csv");
    Files.writeString(preamble, "# exported 2026-12-03\n# 300 rows\n" + Files.readString(data));
    Path skipped = tmp.resolve("skipped");
    CliTest.Run skip = CliTest.run("predict", "--model", model.toString(), "--data",
        preamble.toString(), "--skip-lines", "2", "--out", skipped.toString());
    assertEquals(0, skip.code(), skip.err());
    assertEquals(predictionLines(out), predictionLines(skipped));
    assertEquals(301, predictionLines(skipped).size(), "300 rows and the header");

    Path renamed = letters(tmp.resolve("renamed.csv"), "lettr,x1,x9,x3");
    CliTest.Run wrong = CliTest.run("evaluate", "--model", model.toString(), "--data",
        renamed.toString());
    assertEquals(2, wrong.code(), wrong.err());
    assertTrue(wrong.err().contains("does not hold the model's 3 feature columns (it has 3): 1 missing "
        + "[x2], 1 extra [x9] (label column 'lettr')"), wrong.err());
    CliTest.Run wrongLabel = CliTest.run("evaluate", "--model", model.toString(), "--data",
        data.toString(), "--label", "x1");
    assertTrue(wrongLabel.err().contains("1 missing [x1], 1 extra [lettr] (label column 'x1', "
        + "the model's was 'lettr')"), wrongLabel.err());

    // a model written before the label column was recorded: still loads, takes --label
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = (ObjectNode) json.readTree(model.resolve("model.json").toFile());
    header.remove("labelColumn");
    json.writeValue(model.resolve("model.json").toFile(), header);
    assertEquals(Optional.empty(), ModelFile.read(model).header().labelColumnName());
    CliTest.Run old = CliTest.run("evaluate", "--model", model.toString(), "--data",
        data.toString(), "--label", "lettr", "--json");
    assertEquals(0, old.code(), old.err());
    JsonNode oldMetrics = json.readTree(old.out());
    assertEquals(accuracy, oldMetrics.get("accuracy").asDouble(), 1e-12);
  }

  /** The lines of Spark's part files under {@code dir}, sorted (parts may come in any order). */
  private static List<String> predictionLines(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (java.util.stream.Stream<Path> parts = Files.list(dir)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    String header = lines.stream().filter(l -> l.startsWith("lettr,")).findFirst().orElseThrow();
    lines.removeIf(header::equals);
    java.util.Collections.sort(lines);
    lines.add(0, header);
    return lines;
  }

  @Test
  void reportHelpSaysWhatWithoutDataMeans() {
    CliTest.Run help = CliTest.run("report", "--help");
    assertEquals(0, help.code(), help.err());
    String text = help.out().replaceAll("\\s+", " ");
    assertTrue(text.contains("--data=PATH Held-out rows with the training columns"), text);
    assertTrue(!text.contains("bundled sample"), text);
  }

  @Test
  void parameterServerUsageNamesTheSubcommand() {
    CliTest.Run help = CliTest.run("ps", "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().startsWith("Usage: sparkps ps "), help.out());
  }
}
