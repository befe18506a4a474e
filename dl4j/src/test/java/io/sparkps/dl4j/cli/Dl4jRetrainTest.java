package io.sparkps.dl4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.dl4j.Dl4jModelDir;
import io.sparkps.driver.cli.RetrainCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code sparkps retrain} of a registry of DL4J networks: the first version from a DL4J
 * configuration, the next ones warm-started from the current version's model zip and promoted
 * by the registry's gate, and a candidate that overfits random labels rejected with
 * {@code CURRENT} unchanged.
 */
class Dl4jRetrainTest {

  @BeforeAll
  static void session() {
    io.sparkps.dl4j.Dl4jTestSession.context();
  }

  static Path network(Path dir, int hidden) throws Exception {
    return Files.writeString(dir.resolve("net-" + hidden + ".json"),
        new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.02)).list()
            .layer(new DenseLayer.Builder().nIn(6).nOut(hidden).activation(Activation.TANH)
                .build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden)
                .nOut(3).activation(Activation.SOFTMAX).build())
            .build().toJson());
  }

  /** 300 rows of noise features and seeded random labels: nothing to learn. */
  static Path noise(Path dir) throws Exception {
    Random rnd = new Random(5);
    StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
    for (int i = 0; i < 300; i++) {
      for (int f = 0; f < 6; f++) {
        csv.append(String.format(java.util.Locale.ROOT, "%.4f,", rnd.nextGaussian()));
      }
      csv.append("c").append(i % 3 == 0 ? rnd.nextInt(3) : (i + rnd.nextInt(3)) % 3)
          .append('\n');
    }
    return Files.writeString(dir.resolve("noise.csv"), csv.toString());
  }

  static Dl4jCliTest.Run retrain(Path registry, Path data, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("retrain", "--registry",
        registry.toString(), "--data", data.toString(), "--label", "label", "--workers", "2",
        "--seed", "9"));
    args.addAll(List.of(more));
    return Dl4jCliTest.run(args.toArray(String[]::new));
  }

  @Test
  void versionsWarmStartFromTheCurrentZipAndPassTheGate(@TempDir Path tmp) throws Exception {
    Path data = Dl4jResumeTest.data(tmp);
    Path reg = tmp.resolve("registry");
    Dl4jCliTest.Run first = retrain(reg, data, "--dl4j-config", network(tmp, 8).toString(),
        "--epochs", "0");
    assertEquals(RetrainCommand.PROMOTED, first.code(), first.err() + first.out());
    assertTrue(first.out().contains("promoted v0001"), first.out());

    Dl4jCliTest.Run second = retrain(reg, data, "--epochs", "6", "--batch-size", "8");
    assertEquals(RetrainCommand.PROMOTED, second.code(), second.err() + second.out());
    assertTrue(second.err().contains("warm start from v0001"), second.err());
    assertTrue(second.out().contains("promoted v0002"), second.out());
    assertEquals("v0002", Files.readString(reg.resolve("CURRENT")).trim());

    // no epoch: the candidate is the current network read from its zip, equal on the gate
    Dl4jCliTest.Run third = retrain(reg, data, "--epochs", "0");
    assertEquals(RetrainCommand.PROMOTED, third.code(), third.err() + third.out());
    assertArrayEquals(Dl4jResumeTest.params(reg.resolve("v0002")),
        Dl4jResumeTest.params(reg.resolve("v0003")), 0f);
    assertTrue(Files.readString(reg.resolve("v0003/data.json")).contains("v0002"));

    Dl4jCliTest.Run refused = retrain(reg, data, "--keras", "x.h5");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("already has a current version, v0003"), refused.err());
  }

  @Test
  void aCandidateThatOverfitsRandomLabelsIsRejected(@TempDir Path tmp) throws Exception {
    Path data = noise(tmp);
    Path reg = tmp.resolve("registry");
    Dl4jCliTest.Run first = retrain(reg, data, "--dl4j-config", network(tmp, 48).toString(),
        "--epochs", "0");
    assertEquals(RetrainCommand.PROMOTED, first.code(), first.err() + first.out());

    Dl4jCliTest.Run overfit = retrain(reg, data, "--epochs", "20", "--batch-size", "8");
    assertEquals(RetrainCommand.REJECTED, overfit.code(), overfit.err() + overfit.out());
    assertTrue(overfit.out().contains("rejected, kept at rejected/")
        && overfit.out().contains("CURRENT still names v0001"), overfit.out());
    assertEquals("v0001", Files.readString(reg.resolve("CURRENT")).trim());
    try (var rejected = Files.list(reg.resolve("rejected"))) {
      assertTrue(Dl4jModelDir.isModel(rejected.findFirst().orElseThrow()));
    }
  }
}
