package io.sparkps.dl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.driver.SparkPsCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The command line with the sparkps-dl4j jar on the class path: the driver's {@code sparkps}
 * finds the DL4J commands through its extension service. The seed example (y = 3x + 2 + noise,
 * notebooks-data/examples) is trained natively and as the imported Keras model, and both must
 * land near the least-squares line of the same rows.
 */
class Dl4jCliTest {
  private static final Path EXAMPLES = Path.of(System.getProperty("sparkps.root", ".."))
      .resolve("notebooks-data/examples").toAbsolutePath().normalize();

  record Run(int code, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkPsCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void session() {
    io.sparkps.dl4j.Dl4jTestSession.context(); // the shared local[2] session, ND4J registered
  }

  /** {slope, intercept} of the least-squares line, written by make_linear_seed.py. */
  static double[] leastSquares() throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(EXAMPLES.resolve("linear-seed.lsq"))) {
      p.load(r);
    }
    return new double[] {Double.parseDouble(p.getProperty("slope")),
        Double.parseDouble(p.getProperty("intercept"))};
  }

  /** Predictions at x = 0 and x = 1 from the CSV lines, the prediction in column {@code col}. */
  static double[] line(List<String> lines, int col) {
    double f0 = Double.NaN;
    double f1 = Double.NaN;
    for (String l : lines) {
      String[] f = l.split(",");
      if (f[0].startsWith("x")) {
        continue;
      }
      double x = Double.parseDouble(f[0]);
      double v = Double.parseDouble(f[col]);
      if (x == 0) {
        f0 = v;
      } else {
        f1 = v;
      }
    }
    return new double[] {f1 - f0, f0};
  }

  @Test
  void seedExampleNativeAndKerasBothRecoverTheLeastSquaresLine(@TempDir Path tmp)
      throws Exception {
    double[] lsq = leastSquares();
    String data = EXAMPLES.resolve("linear-seed.csv").toString();
    Path probe = Files.writeString(tmp.resolve("probe.csv"), "x,y\n0,0\n1,0\n");
    String[] common = {"--data", data, "--label", "y", "--batch-size", "1", "--epochs", "100",
        "--validation", "0", "--workers", "1"};

    Run nat = run(concat(new String[] {"train", "--model", "linear", "--optimizer", "sgd",
        "--lr", "0.01", "--out", tmp.resolve("native").toString()}, common));
    assertEquals(0, nat.code(), nat.err());
    Run np = run("predict", "--model", tmp.resolve("native").toString(), "--data",
        probe.toString(), "--label", "y", "--out", tmp.resolve("native-pred").toString());
    assertEquals(0, np.code(), np.err());
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(tmp.resolve("native-pred"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    double[] n = line(lines, 2);

    Run keras = run(concat(new String[] {"train", "--keras",
        EXAMPLES.resolve("linear-seed.h5").toString(), "--out", tmp.resolve("keras").toString()},
        common));
    assertEquals(0, keras.code(), keras.err());
    assertTrue(Dl4jModelDir.isModel(tmp.resolve("keras")));
    // DL4J's own loader reads the model zip
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
        tmp.resolve("keras").resolve(Dl4jModelDir.MODEL_ZIP).toFile());
    assertEquals(2, restored.numParams());
    Path kp = tmp.resolve("keras-pred.csv");
    Run kpr = run("predict", "--model", tmp.resolve("keras").toString(), "--data",
        probe.toString(), "--label", "y", "--out", kp.toString());
    assertEquals(0, kpr.code(), kpr.err());
    List<String> kl = Files.readAllLines(kp);
    assertEquals("x,prediction", kl.get(0));
    double[] k = line(kl, 1);

    String report = "least squares " + java.util.Arrays.toString(lsq) + ", native "
        + java.util.Arrays.toString(n) + ", keras " + java.util.Arrays.toString(k);
    for (double[] fit : List.of(n, k)) {
      assertEquals(lsq[0], fit[0], 0.1, report); // slope
      assertEquals(lsq[1], fit[1], 0.1, report); // intercept
    }
    Run eval = run("evaluate", "--model", tmp.resolve("keras").toString(), "--data", data,
        "--label", "y", "--json");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"r2\""), eval.out());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void aConfigWhoseOutputLayerDisagreesWithTheClassesIsRefused(@TempDir Path tmp)
      throws Exception {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1)
        .updater(new Adam(0.01)).list()
        .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    Path json = Files.writeString(tmp.resolve("net.json"), conf.toJson());
    StringBuilder csv = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 30; i++) {
      csv.append(i % 5).append(',').append(i % 7).append(',').append("c").append(i % 3)
          .append('\n');
    }
    Path data = Files.writeString(tmp.resolve("three.csv"), csv.toString());
    Run r = run("train", "--model", "dl4j", "--dl4j-config", json.toString(), "--data",
        data.toString(), "--workers", "2", "--epochs", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("has 2 outputs") && r.err().contains("3 classes")
        && r.err().contains("nOut to 3"), r.err());

    // the same network with three outputs trains, and its directory evaluates
    Path ok = Files.writeString(tmp.resolve("net3.json"), conf.toJson()
        .replace("\"nout\" : 2", "\"nout\" : 3"));
    Run t = run("train", "--model", "dl4j", "--dl4j-config", ok.toString(), "--data",
        data.toString(), "--workers", "2", "--epochs", "30", "--batch-size", "4",
        "--validation", "0", "--out", tmp.resolve("m").toString());
    assertEquals(0, t.code(), t.err() + t.out());
    Run e = run("evaluate", "--model", tmp.resolve("m").toString(), "--data", data.toString(),
        "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("\"accuracy\""), e.out());
  }
}
