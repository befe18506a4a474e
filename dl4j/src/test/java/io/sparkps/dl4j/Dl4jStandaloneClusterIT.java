package io.sparkps.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J network trained on a real Spark standalone cluster of separate JVMs
 * ({@code deploy/local-cluster.sh}: a master and two workers of two cores), one of whose
 * workers is killed with SIGKILL in the middle of the run: the barrier stage of that epoch is
 * retried on the surviving worker, the server acknowledges and ignores the pushes it had
 * already counted, and the run ends with every epoch, every round counted once per partition,
 * and a network that classifies the digits.
 *
 * <p>No shaded jar is built for it (DL4J's is about 170 MB): the driver JVM runs this module's
 * classes on its Maven class path ({@code target/classpath.txt}), and the executors, on the same
 * machine, get that class path as {@code spark.executor.extraClassPath}.
 */
class Dl4jStandaloneClusterIT {
  private static final Path ROOT = Path.of(System.getProperty("sparkps.root"));
  private static final int EPOCHS = 6;
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(ROOT, 2, Map.of("SPARKPS_WORKER_CORES", "2",
        "SPARKPS_WORKER_MEMORY", "1536m"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  /** This module's classes and its Maven class path, as bin/sparkps runs them. */
  static String classPath() throws IOException {
    Path module = ROOT.resolve("dl4j/target");
    return module.resolve("classes") + ":" + Files.readString(module.resolve("classpath.txt"))
        .trim();
  }

  static List<String> train(Path dir, Path out) throws Exception {
    Path net = Files.writeString(dir.resolve("net.json"), new NeuralNetConfiguration.Builder()
        .seed(5).updater(new Adam(0.005)).list()
        .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .build().toJson());
    String cp = classPath();
    String opens = System.getProperty("sparkps.javaOpens");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
    cmd.addAll(List.of(opens.trim().split("\\s+")));
    cmd.addAll(List.of("-Dspark.executor.extraClassPath=" + cp,
        "-Dspark.executor.extraJavaOptions=" + opens.trim(),
        "-Dspark.executor.memory=1g", "-Dspark.executorEnv.OMP_NUM_THREADS=1",
        "-cp", cp, "io.sparkps.dl4j.cli.Dl4jCli",
        "train", "--master", cluster.master(), "--model", "dl4j", "--dl4j-config", net.toString(),
        "--data", ROOT.resolve("notebooks-data/data/digits.csv.gz").toString(), "--no-header",
        "--workers", "2", "--epochs", Integer.toString(EPOCHS), "--batch-size", "16",
        "--pull-deadline", "60", "--out", out.toString()));
    return cmd;
  }

  @Test
  void killingAWorkerMidEpochStillFinishesWithNoPushCountedTwice(@TempDir Path tmp)
      throws Exception {
    Path log = tmp.resolve("train.log");
    Process p = cluster.launch(log, train(tmp, tmp.resolve("model")));
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.readString(log).contains("epoch   2  loss") && System.nanoTime() < end) {
        assertTrue(p.isAlive(), Files.readString(log));
        Thread.sleep(100);
      }
      assertTrue(p.isAlive() && !Files.readString(log).contains("epoch  " + EPOCHS + "  loss"),
          "the run ended before a worker could be killed:\n" + Files.readString(log));
      LocalCluster.Run kill = cluster.killWorker(cluster.busyWorker());
      System.out.println("killed a worker at " + java.time.Instant.now());
      assertEquals(0, kill.code(), kill.output());
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "training did not finish after the kill:\n"
          + Files.readString(log));
    } finally {
      p.destroyForcibly(); // a failed assertion must not leave the run behind
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    // the run's account in the test report: its epochs, the lost executor, the pushes
    out.lines().filter(l -> l.startsWith("epoch ") || l.contains("duplicate pushes")
        || l.contains("Lost executor") || l.contains("Resubmitting") || l.contains("training "))
        .forEach(System.out::println);
    for (int e = 1; e <= EPOCHS; e++) {
      assertTrue(out.contains(String.format("epoch %3d  loss", e)), "epoch " + e + ":\n" + out);
    }
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("model/metrics.json").toFile());
    assertEquals(0, m.get("irregularRounds").asLong(), "every round counted each partition "
        + "once: " + m);
    assertTrue(m.get("validation.accuracy").asDouble() > 0.9, m.toString());
  }
}
