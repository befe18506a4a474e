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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
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

  @BeforeAll
  static void sharedSession() {
    // the commands reuse the session this JVM already has (one Spark context per JVM)
    io.sparkps.driver.data.SparkTestSession.get();
  }

  @Test
  void trainsOnTheBundledSampleSavesAndEvaluates(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    Run train = run("train", "--epochs", "10", "--patience", "0", "--workers", "2", "--out",
        model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("epoch 10: loss"), train.err());
    JsonNode metrics = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
    assertEquals(10, metrics.get("history").size());
    assertTrue(metrics.at("/history/9/validationMetrics/accuracy").asDouble() > 0.9,
        "each epoch records its validation metrics: " + metrics.get("history").get(9));
    assertTrue(train.err().contains("epoch 10: loss") && train.err().contains(
        "validation accuracy"), train.err());
    assertTrue(metrics.get("validation").get("accuracy").asDouble() > 0.9, metrics.toString());
    assertTrue(metrics.get("rounds").asLong() > 0 && metrics.get("trainSeconds").asDouble() > 0);
    String job = Files.readString(model.resolve("job.yaml"));
    assertTrue(job.contains("epochs: 10") && job.contains("workers: 2"), job);
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

  /**
   * Given no flags, training stops by convergence before its 20 epochs, keeps the best epoch's
   * model, says why in metrics.json, and records the defaults in job.yaml; the help shows them.
   */
  @Test
  void withoutFlagsTrainingStopsByConvergenceAndSaysWhy(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    Run train = run("train", "--workers", "2", "--out", model.toString());
    assertEquals(0, train.code(), train.err());
    JsonNode m = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
    assertTrue(m.get("stoppedEarly").asBoolean(), m.toString());
    assertTrue(m.get("stopReason").asText().startsWith("converged: the validation loss did not "
        + "improve by a relative 0.001 (--tol) in 2 checks"), m.get("stopReason").asText());
    assertTrue(m.get("history").size() < 20, "stopped before --epochs: " + m.get("history"));
    int best = m.get("bestEpoch").asInt();
    assertEquals(m.at("/history/" + (best - 1) + "/validationLoss").asDouble(),
        m.get("validation").get("logLoss").asDouble(), 1e-6, "the best epoch's model is kept");
    assertEquals(1, m.get("localSteps").asInt(), "569 rows: too few for local steps");
    assertTrue(m.get("validation").get("accuracy").asDouble() > 0.93, m.toString());
    String job = Files.readString(model.resolve("job.yaml"));
    assertTrue(job.contains("local-steps: \"auto\"") || job.contains("local-steps: auto"), job);
    assertTrue(job.contains("tol: 0.001") && job.contains("backend: \"auto\"")
        || job.contains("backend: auto"), job);
    String help = run("train", "--help").out();
    for (String shown : new String[] {"--tol=X", "Default: 0.001", "--local-steps=K",
        "Default: auto", "--epochs=N", "Default: 20"}) {
      assertTrue(help.contains(shown), "train --help shows " + shown + ":\n" + help);
    }
  }

  @Test
  void overlapTrainsWithLocalStepsAndIsRefusedWithout(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    Run train = run("train", "--epochs", "4", "--workers", "2", "--local-steps", "2",
        "--overlap", "--out", model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(ModelFile.read(model).header().metrics().get("validation.accuracy") > 0.9,
        train.err());
    String job = Files.readString(model.resolve("job.yaml"));
    assertTrue(job.contains("overlap: true"), "resume runs it overlapped again: " + job);

    Run refused = run("train", "--epochs", "1", "--local-steps", "1", "--overlap", "--out",
        tmp.resolve("other").toString());
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("overlap needs local steps"), refused.err());
  }

  @Test
  void refusesToOverwriteAModelWithoutOverwrite(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    assertEquals(0, run("train", "--epochs", "1", "--out", model.toString()).code());
    byte[] before = Files.readAllBytes(model.resolve(ModelFile.PARAMS_FILE));
    Run again = run("train", "--epochs", "2", "--out", model.toString());
    assertTrue(again.err().contains("already exists"), again.err());
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
    Path out = tmp.resolve("model");
    Run r = run("train", "--data", csv.toString(), "--epochs", "1", "--out", out.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad.csv, line 3: column b holds 'x7', which is not a number"),
        r.err());
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(csv), left.toList(), "a failed run leaves no model and no temp files");
    }
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
        "--epochs", "20");
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
  void jobFileSetsOptionsAndFlagsOverrideIt(@TempDir Path tmp) throws Exception {
    Path job = tmp.resolve("job.yaml");
    Files.writeString(job, "model: mlp\nhidden: [8]\nepochs: 1\nbatchSize: 32\n");
    Run r = run("train", "--config", job.toString(), "--epochs", "2", "--workers", "2",
        "--out", tmp.resolve("m").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("training mlp [30, 8, 1]"), r.err());
    assertTrue(r.err().contains("epoch 2: loss") && !r.err().contains("epoch 3"), r.err());
    Files.writeString(job, "epochz: 3\n");
    Run bad = run("train", "--config", job.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("unknown key 'epochz'"), bad.err());
  }

  @Test
  void predictWritesClassAndProbabilityColumns(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    assertEquals(0, run("train", "--epochs", "3", "--workers", "2", "--out", model.toString())
        .code());
    Path out = tmp.resolve("pred");
    Run p = run("predict", "--model", model.toString(), "--data",
        io.sparkps.core.TestData.dir().resolve("../sample/breast_cancer.csv").normalize()
            .toString(), "--label", "diagnosis", "--out", out.toString());
    assertEquals(0, p.code(), p.err());
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    assertTrue(lines.get(0).endsWith(
        "diagnosis,prediction,predictedLabel,probability_benign,probability_malignant"),
        lines.get(0));
    long rows = lines.stream().filter(l -> !l.startsWith("mean_radius")).count();
    assertEquals(569, rows);
    long right = lines.stream().filter(l -> !l.startsWith("mean_radius"))
        .filter(l -> l.split(",")[30].equals(l.split(",")[32])).count();
    assertTrue(right > 512, right + " of 569 predicted right (90% wanted after 3 epochs)");
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String c : List.of("train", "evaluate", "predict", "ps", "synth")) {
      assertTrue(r.out().contains(c), r.out());
    }
    Run ps = run("ps", "--help");
    assertEquals(0, ps.code());
    assertTrue(ps.out().contains("--token-file"), ps.out());
  }
}
