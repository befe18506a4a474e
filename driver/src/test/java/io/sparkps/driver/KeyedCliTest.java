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

    Run noOut = CliTest.run("train", "--data", train.toString(), "--label", "clicked",
        "--categorical", "site,app", "--hash-bits", "12", "--model", "fm", "--epochs", "1",
        "--optimizer", "adagrad", "--ps-layout", "keyed");
    assertNotEquals(0, noOut.code());
    assertTrue(noOut.err().contains("give it with --out DIR"), noOut.err());
  }
}
