package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --ps-layout keyed}: a factorization machine on categorical CSV rows trains through
 * the keyed job, the shards write their parts into --out and the driver the header beside them;
 * without --out the command names the fix.
 */
class KeyedCliTest {

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  @Test
  void keyedFmWritesItsPartsAndHeader(@TempDir Path tmp) throws Exception {
    Path train = SparseCliTest.clicks(tmp, 1500, 1);
    Path model = tmp.resolve("fm-keyed");
    Run t = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,app", "--hash-bits", "12", "--model", "fm", "--factors", "4",
        "--epochs", "6", "--workers", "2", "--optimizer", "adagrad", "--lr", "0.1",
        "--ps-layout", "keyed", "--out", model.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("keyed model ("), t.out());
    List<Path> parts;
    try (Stream<Path> s = Files.list(model.resolve("keyed"))) {
      parts = s.filter(p -> p.getFileName().toString().endsWith(".spkw")).toList();
    }
    assertTrue(!parts.isEmpty(), "the shards wrote their parts");
    JsonNode header = new ObjectMapper().readTree(model.resolve("keyed.json").toFile());
    assertEquals("fm", header.at("/spec/type").asText(), header.toString());
    double loss = header.at("/metrics/logLoss").asDouble();
    assertTrue(loss > 0 && loss < 0.6, "the keyed fm learned the pairs: " + header.at(
        "/metrics"));

    Path test = SparseCliTest.clicks(tmp, 400, 2);
    Path pred = tmp.resolve("pred");
    Run p = CliTest.run("predict", "--model", model.toString(), "--data", test.toString(),
        "--label", "clicked", "--out", pred.toString());
    assertEquals(0, p.code(), p.err());
    List<String> lines = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.list(pred)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    assertTrue(lines.get(0).endsWith("prediction,predictedLabel,probability_0,probability_1"),
        lines.get(0));
    long rows = lines.stream().filter(l -> !l.startsWith("clicked")).count();
    assertEquals(400, rows);
    double logLoss = 0;
    for (String l : lines) {
      if (!l.startsWith("clicked")) {
        String[] c = l.split(",", -1);
        double p1 = Double.parseDouble(c[c.length - 1]);
        logLoss -= c[0].equals("1") ? Math.log(p1) : Math.log(1 - p1);
      }
    }
    assertTrue(logLoss / rows < 0.6, "predictions from the keyed directory: log loss "
        + logLoss / rows);

    Run e = CliTest.run("evaluate", "--model", model.toString(), "--data", test.toString(),
        "--label", "clicked", "--json");
    assertEquals(0, e.code(), e.err());
    JsonNode metrics = new ObjectMapper().readTree(e.out());
    assertEquals(logLoss / rows, metrics.get("logLoss").asDouble(), 1e-4,
        "evaluate and predict score the same keyed model: " + metrics);
    assertTrue(metrics.get("auc").asDouble() > 0.8, "the keyed fm learned the pairs: " + metrics);

    Run noOut = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,app", "--hash-bits", "12", "--model", "fm", "--epochs", "1",
        "--optimizer", "adagrad", "--ps-layout", "keyed");
    assertNotEquals(0, noOut.code());
    assertTrue(noOut.err().contains("give it with --out DIR"), noOut.err());

    Run typo = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--ps-layout", "keyd");
    assertNotEquals(0, typo.code());
    assertTrue(typo.err().contains("--ps-layout must be dense or keyed, got 'keyd'"), typo.err());
  }
}
