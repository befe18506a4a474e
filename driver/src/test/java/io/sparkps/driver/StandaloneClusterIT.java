package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.LocalCluster;
import io.sparkps.core.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster of separate JVMs on 127.0.0.1 (one master, three workers of
 * one core each, started by {@code deploy/local-cluster.sh} from the Maven-resolved Spark jars),
 * and the shaded jar submitted to it by {@code deploy/submit.sh} as users do.
 */
class StandaloneClusterIT {
  private static final Path ROOT = Path.of(System.getProperty("sparkps.root"));
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalCluster.start(ROOT, 3, Map.of());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close(); // the cluster's logs and jars are kept only when it did not stop
  }

  static List<String> submit(String masterUrl, String mode, Path out, String... trainArgs) {
    List<String> cmd = new ArrayList<>(List.of("deploy/submit.sh", "--master", masterUrl,
        "--deploy-mode", mode, "--executor-memory", "768m", "--driver-memory", "768m", "--",
        "train", "--data", ROOT.resolve("notebooks-data/data/digits.csv.gz").toString(),
        "--no-header", "--model", "softmax", "--workers", "2", "--out", out.toString(),
        // the runs are compared parameter for parameter: fixed local steps and no early stop
        "--local-steps", "1", "--patience", "0"));
    cmd.addAll(List.of(trainArgs));
    return cmd;
  }

  @Test
  void clientAndClusterModeMatchLocalMode(@TempDir Path tmp) throws Exception {
    LocalCluster.Run local = cluster.run(240, submit("local[2]", "client",
        tmp.resolve("local"), "--epochs", "3", "--backend", "vector"));
    assertEquals(0, local.code(), local.output());
    LocalCluster.Run client = cluster.run(300, submit(cluster.master(), "client",
        tmp.resolve("client"), "--epochs", "3", "--backend", "vector"));
    assertEquals(0, client.code(), client.output());
    LocalCluster.Run clustered = cluster.run(300, submit(cluster.master(), "cluster",
        tmp.resolve("cluster"), "--epochs", "3", "--backend", "vector"));
    assertEquals(0, clustered.code(), clustered.output());
    float[] expected = ModelFile.read(tmp.resolve("local")).params();
    assertArrayEquals(expected, ModelFile.read(tmp.resolve("client")).params(), 1e-5f);
    assertArrayEquals(expected, ModelFile.read(tmp.resolve("cluster")).params(), 1e-5f);
    // deploy/submit.sh gives the executors the Vector API: --backend vector, which fails where
    // the JVM lacks it, ran there (auto trains a model this small on the scalar kernels)
    assertTrue(cluster.executorLogs().contains("compute backend: vector"),
        "the executors ran the vector backend");
  }

  @Test
  void killingAWorkerMidRunStillFinishesWithNoPushCountedTwice(@TempDir Path tmp)
      throws Exception {
    Path log = tmp.resolve("train.log");
    // A task of the failed attempt that is blocked in a pull is aborted by its kill watch and
    // frees its slot at once; the 60 s pull deadline only bounds a wait if that ever fails.
    Process p = cluster.launch(log, submit(cluster.master(), "client", tmp.resolve("model"),
        "--epochs", "12", "--batch-size", "16", "--pull-deadline", "60"));
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.readString(log).contains("epoch 2: loss") && System.nanoTime() < end) {
        assertTrue(p.isAlive(), Files.readString(log));
        Thread.sleep(200);
      }
      LocalCluster.Run kill = cluster.killWorker(cluster.busyWorker());
      assertEquals(0, kill.code(), kill.output());
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "training did not finish after the kill");
    } finally {
      p.destroyForcibly(); // a failed assertion must not leave the run behind
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("model/metrics.json").toFile());
    assertEquals(12, m.get("history").size(), out);
    assertEquals(0, m.get("irregularRounds").asLong(), "every round counted each partition once");
    assertTrue(m.get("validation").get("accuracy").asDouble() > 0.93, m.toString());
  }
}
