package io.sparkps.dl4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.dl4j.Dl4jModelDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A {@code train --model dl4j --checkpoint-dir} run killed with SIGKILL (driver and in-process
 * parameter server die together) and continued with {@code sparkps resume} ends with the
 * network of an uninterrupted run: the server's Adam state and the parameters come back from the
 * shards' checkpoint, the epochs' shuffles and DL4J's counters from the epoch number.
 */
class Dl4jResumeTest {
  private static final int EPOCHS = 30;

  @BeforeAll
  static void session() {
    io.sparkps.dl4j.Dl4jTestSession.context();
  }

  /** Three noisy classes over six features, 300 rows, seeded. */
  static Path data(Path dir) throws Exception {
    Random rnd = new Random(17);
    StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
    for (int i = 0; i < 300; i++) {
      int c = i % 3;
      for (int f = 0; f < 6; f++) {
        csv.append(String.format(java.util.Locale.ROOT, "%.4f,",
            rnd.nextGaussian() + (f % 3 == c ? 1.5 : 0)));
      }
      csv.append("c").append(c).append('\n');
    }
    return Files.writeString(dir.resolve("three.csv"), csv.toString());
  }

  static Path network(Path dir) throws Exception {
    return Files.writeString(dir.resolve("net.json"), new NeuralNetConfiguration.Builder()
        .seed(3).updater(new Adam(0.01)).list()
        .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build().toJson());
  }

  static List<String> trainArgs(Path tmp, Path ckpt, Path out) {
    return List.of("train", "--model", "dl4j", "--dl4j-config", tmp.resolve("net.json")
        .toString(), "--data", tmp.resolve("three.csv").toString(), "--label", "label",
        "--master", "local[2]", "--workers", "2", "--epochs", Integer.toString(EPOCHS),
        "--batch-size", "8", "--seed", "7", "--checkpoint-dir", ckpt.toUri().toString(),
        "--out", out.toString());
  }

  static float[] params(Path model) throws Exception {
    return ModelSerializer.restoreMultiLayerNetwork(model.resolve(Dl4jModelDir.MODEL_ZIP)
        .toFile()).params().data().asFloat();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void resumeAfterAKillEndsWithTheUninterruptedNetwork(@TempDir Path tmp) throws Exception {
    data(tmp);
    network(tmp);
    Dl4jCliTest.Run a = Dl4jCliTest.run(trainArgs(tmp, tmp.resolve("ckpt-a"), tmp.resolve("a"))
        .toArray(String[]::new));
    assertEquals(0, a.code(), a.err() + a.out());

    Path log = tmp.resolve("killed.log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(x -> x.startsWith("--add-opens") || x.startsWith("-XX:+Ignore")
            || x.startsWith("-Djdk.reflect")).toList());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Dl4jCli.class.getName()));
    cmd.addAll(trainArgs(tmp, tmp.resolve("ckpt-b"), tmp.resolve("b")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.readString(log).contains("epoch   3  loss") && System.nanoTime() < end) {
      assertTrue(p.isAlive(), "the run ended before it could be killed:\n"
          + Files.readString(log));
      Thread.sleep(10);
    }
    assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertFalse(Files.exists(tmp.resolve("b")), "the killed run wrote no model");
    assertFalse(Files.readString(log).contains("epoch  " + EPOCHS), "killed before the end");

    Dl4jCliTest.Run b = Dl4jCliTest.run("resume", "--checkpoint",
        tmp.resolve("ckpt-b").toString());
    assertEquals(0, b.code(), b.err() + b.out());
    assertTrue(b.out().contains("resumed run "), b.out());
    assertFalse(b.out().contains("epoch   1  loss"), "the resumed run starts after epoch 3:\n"
        + b.out());
    assertArrayEquals(params(tmp.resolve("a")), params(tmp.resolve("b")), 1e-5f);
  }
}
