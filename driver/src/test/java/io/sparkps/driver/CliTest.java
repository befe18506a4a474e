package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.io.LoadedModel;
import io.sparkps.core.io.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end in this JVM: train, save, evaluate, and bad input. */
class CliTest {

  record Run(int code, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void trainsOnTheBundledSampleSavesAndEvaluates(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    Run train = run("train", "--epochs", "10", "--out", model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("epoch 10/10"), train.err());
    LoadedModel loaded = ModelFile.read(model);
    assertEquals(java.util.List.of("benign", "malignant"), loaded.header().labels());
    assertEquals("mean_radius", loaded.header().featureNames().get(0));
    double validationAccuracy = loaded.header().metrics().get("validation.accuracy");
    assertTrue(validationAccuracy > 0.93, "validation accuracy " + validationAccuracy);

    Run eval = run("evaluate", "--model", model.toString(), "--json");
    assertEquals(0, eval.code(), eval.err());
    JsonNode json = new ObjectMapper().readTree(eval.out());
    assertTrue(json.get("accuracy").asDouble() > 0.95, eval.out());
    assertTrue(json.has("logLoss") && json.has("auc"), eval.out());
  }

  @Test
  void refusesToOverwriteAModelWithoutOverwrite(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    assertEquals(0, run("train", "--epochs", "1", "--out", model.toString()).code());
    byte[] before = Files.readAllBytes(model.resolve(ModelFile.PARAMS_FILE));
    Run again = run("train", "--epochs", "2", "--out", model.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());
    assertTrue(java.util.Arrays.equals(before,
        Files.readAllBytes(model.resolve(ModelFile.PARAMS_FILE))));
    assertEquals(0, run("train", "--epochs", "2", "--out", model.toString(), "--overwrite")
        .code());
    assertFalse(java.util.Arrays.equals(before,
        Files.readAllBytes(model.resolve(ModelFile.PARAMS_FILE))));
  }

  @Test
  void badRowIsReportedWithFileLineColumnAndValue(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "a,b,y\n1,2,0\n3,x7,1\n");
    Run r = run("train", "--data", csv.toString(), "--epochs", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains(csv + ", line 3: column b holds 'x7', which is not a number"),
        r.err());
  }

  @Test
  void unknownLabelColumnFailsBeforeTraining(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("d.csv");
    Files.writeString(csv, "a,b,y\n1,2,0\n3,4,1\n");
    Run r = run("train", "--data", csv.toString(), "--label", "target");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("label column 'target' does not exist; the columns are [a, b, y]"),
        r.err());
    assertFalse(r.err().contains("epoch"), r.err());
  }

  @Test
  void trainsAPerceptronOnLibSvmAndARegressionOnCsv(@TempDir Path tmp) throws Exception {
    Path heart = tmp.resolve("heart");
    Files.copy(io.sparkps.core.TestData.dir().resolve("heart_scale"), heart);
    Run mlp = run("train", "--data", heart.toString(), "--model", "mlp", "--hidden", "16",
        "--epochs", "30");
    assertEquals(0, mlp.code(), mlp.err());
    assertTrue(mlp.err().contains("training mlp [13, 16, 1]"), mlp.err());
    double acc = Double.parseDouble(mlp.out().lines()
        .filter(l -> l.startsWith("validation.accuracy")).findFirst().orElseThrow()
        .split("\\s+")[1]);
    assertTrue(acc > 0.75, "heart_scale validation accuracy " + acc);

    Run lin = run("train", "--data", io.sparkps.core.TestData.dir().resolve("boston_house_prices.csv")
        .toString(), "--skip-lines", "1", "--label", "MEDV", "--model", "linear", "--epochs", "100",
        "--lr", "0.05");
    assertEquals(0, lin.code(), lin.err());
    assertTrue(lin.out().contains("validation.r2"), lin.out());
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("train") && r.out().contains("evaluate"), r.out());
  }
}
